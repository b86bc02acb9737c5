"""PDF benchmark (issues 11 and 13): run .venv/bin/python bench/pdf.py

Serves the app the way users get it: gunicorn (2 workers) on 127.0.0.1:2023,
the PDF worker (`db_worker --queue-name pdf`) and the warm converter
(`manage.py pdf_converter`, 127.0.0.1:2021) as separate processes, on a
throw-away SQLite database with the demo data (BENCH_DATABASE_URL: an empty
PostgreSQL database instead). A client logged in as the province office:

  1. time to a PDF: from the first GET of form.pdf (a new version each time),
     polling like the page does, until the PDF is downloaded; median, and its
     ratio to downloading the .docx alone; a cached PDF again;
  2. a bare request's latency (GET /login/) idle and while 4 PDFs are made at once;
  3. PDFs sustained (issue 26): for BENCH_PDF_SECONDS (30) a client asks for a PDF of a new version
     BENCH_PDF_RATE (2.5) times a second, each polled every 0.5 s as the progress page does, and
     counts the PDFs delivered in that window per second [target ≥ 2/s]; meanwhile a bare request's
     p95 against its idle p95 measured just before [target: unchanged, i.e. ≤ max(1.5 × idle,
     idle + 10 ms); decision 0032].

Every figure is printed beside its target; exits 1 when one is missed. The PDF worker
(`manage.py worker --queue-name pdf`) and the converter run as production runs them, at a lower
CPU priority (decision 0032).
"""

import html
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = tempfile.mkdtemp(prefix="yanxiu-bench-pdf-")
os.environ["YANXIU_VAR_DIR"] = VAR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{VAR}/bench.sqlite3"
# BENCH_UNO_PORT (and the next port, LibreOffice's own) and BENCH_PORT: set them when another run shares the machine.
UNO_PORT = int(os.environ.get("BENCH_UNO_PORT", "2021"))
WEB_PORT = int(os.environ.get("BENCH_PORT", "2023"))
os.environ["DOCUMENTS_UNOSERVER"] = f"127.0.0.1:{UNO_PORT}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

PY = sys.executable
BASE = f"http://127.0.0.1:{WEB_PORT}"


def start(command, name):
    log = open(Path(VAR) / f"{name}.log", "w")  # noqa: SIM115 (open for the process's life)
    return subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())


def wait_for(check, what, timeout=120):
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not start (logs in {VAR})")
        time.sleep(0.3)


class Session:
    def __init__(self, cookie):
        self.cookie = cookie

    def get(self, path, htmx=False):
        request = urllib.request.Request(BASE + path, headers={"Cookie": f"sessionid={self.cookie}"})  # noqa: S310
        if htmx:
            request.add_header("HX-Request", "true")
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (our own local server)
            return response.status, response.read()


def pdf_once(session, path, poll=0.1):
    """Seconds from the first GET of a new version's PDF to its download, polling every `poll` s
    the URL the progress fragment polls (its hx-get), as the page does."""
    started = time.perf_counter()
    _, body = session.get(path)
    while not body.startswith(b"%PDF-"):
        if b'data-state="failed"' in body:
            raise SystemExit(f"conversion failed: {body[-400:]!r}")
        if b'data-state="done"' in body:
            _, body = session.get(path)
            continue
        time.sleep(poll)
        polled = re.search(rb'hx-get="([^"]+)"', body)
        _, body = session.get(html.unescape(polled.group(1).decode()) if polled else path, htmx=True)
    return time.perf_counter() - started


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


# Issue 26's PDF targets (decision 0032).
TARGET_SECONDS_TO_PDF = 2.0
TARGET_RATE = 2.0  # new PDFs a second, sustained
OFFERED_RATE = float(os.environ.get("BENCH_PDF_RATE", "2.5"))
SUSTAINED_SECONDS = float(os.environ.get("BENCH_PDF_SECONDS", "30"))
PAGE_POLL = 0.5  # the progress page's hx-trigger="every 500ms"


def p95_allowed(idle_p95):
    """'A bare request's p95 unchanged': within 1.5 × the idle p95 or 10 ms above it, whichever is
    larger (decision 0032: a web process held by a PDF shows as hundreds of ms, scheduling noise on a
    shared 2-core machine as a few ms)."""
    return max(1.5 * idle_p95, idle_p95 + 0.010)


def verdict(ok):
    return "met" if ok else "MISSED"


class BareSampler:
    """GET /login/ one after another (20 ms apart) in a thread, until stopped: the latencies."""

    def __init__(self, session):
        self.session, self.latencies, self.stop = session, [], threading.Event()
        self.thread = threading.Thread(target=self.run)

    def run(self):
        while not self.stop.is_set():
            started = time.perf_counter()
            self.session.get("/login/")
            self.latencies.append(time.perf_counter() - started)
            time.sleep(0.02)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    def p95(self):
        return percentile(self.latencies, 0.95)


def sustained(session, applications):
    """Ask for a PDF of a new version OFFERED_RATE times a second for SUSTAINED_SECONDS (each on an
    application with no PDF in flight, polled like the page), then wait for the rest: (PDFs delivered
    within the window, seconds each PDF took, seconds until the last one, how many were asked)."""
    from yanxiu.applications.models import Application

    free, lock = list(applications), threading.Lock()
    finished, took, threads = [], [], []
    started = time.perf_counter()

    def one(pk, number):
        Application.objects.filter(pk=pk).update(purpose=f"持续基准{number}：研修目的和作用。")
        took.append(pdf_once(session, f"/documents/applications/{pk}/form.pdf", poll=PAGE_POLL))
        finished.append(time.perf_counter() - started)
        with lock:
            free.append(pk)

    number = 0
    while (due := started + number / OFFERED_RATE) < started + SUSTAINED_SECONDS:
        time.sleep(max(0.0, due - time.perf_counter()))
        with lock:
            pk = free.pop(0) if free else None
        if pk is None:  # every application has a PDF in flight: the system is behind, ask again soon
            time.sleep(0.05)
            continue
        thread = threading.Thread(target=one, args=(pk, number))
        thread.start()
        threads.append(thread)
        number += 1
    for thread in threads:
        thread.join()
    delivered = sum(1 for at in finished if at <= SUSTAINED_SECONDS)
    return delivered, took or [0.0], max(finished, default=0.0), number


def main():
    from yanxiu.accounts.models import User
    from yanxiu.applications.models import Application
    from yanxiu.demo.world import seed
    from yanxiu.documents.generate import pdf

    call_command("migrate", verbosity=0)
    seed()
    client = Client()
    province = User.objects.get(username="province")
    client.force_login(province)
    session = Session(client.cookies["sessionid"].value)
    visible = list(Application.objects.visible_to(province).order_by("pk").values_list("pk", flat=True))
    applications = visible[:5]
    target = applications[0]

    processes = [
        start([PY, "manage.py", "pdf_converter", "--port", str(UNO_PORT)], "pdf_converter"),
        start([PY, "manage.py", "worker", "--queue-name", "pdf", "--interval", "0.2"], "pdf_worker"),
        start(
            [PY, "-m", "gunicorn", "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{WEB_PORT}", "--log-level", "warning"],
            "gunicorn",
        ),
    ]
    missed = []
    try:
        wait_for(lambda: pdf.unoserver_alive(os.environ["DOCUMENTS_UNOSERVER"]), "unoserver")

        def web_up():
            try:
                return session.get("/login/")[0] == 200
            except OSError:
                return False

        wait_for(web_up, "gunicorn")
        print(f"load average at the start: {' '.join(f'{v:.1f}' for v in os.getloadavg())}", flush=True)
        docx_path = f"/documents/applications/{target}/form.docx"
        pdf_path = f"/documents/applications/{target}/form.pdf"
        pdf_once(session, pdf_path)  # warm up the converter's first document

        docx_times, pdf_times = [], []
        for number in range(9):
            started = time.perf_counter()
            session.get(docx_path)
            docx_times.append(time.perf_counter() - started)
            Application.objects.filter(pk=target).update(purpose=f"基准测试版本{number}：研修目的和作用。")
            pdf_times.append(pdf_once(session, pdf_path))
        cached = []
        for _ in range(9):
            started = time.perf_counter()
            session.get(pdf_path)
            cached.append(time.perf_counter() - started)
        docx_median, pdf_median = statistics.median(docx_times), statistics.median(pdf_times)
        ok = pdf_median < TARGET_SECONDS_TO_PDF
        missed += [] if ok else ["time to a PDF"]
        print(
            f"1. time to a PDF (new version, queued → worker → warm converter → download): median "
            f"{pdf_median:.2f} s (max {max(pdf_times):.2f} s) = {pdf_median / docx_median:.0f} × the .docx alone "
            f"({docx_median * 1000:.0f} ms); the same version again (cached) {statistics.median(cached) * 1000:.0f} ms"
            f"  [target < {TARGET_SECONDS_TO_PDF:.0f} s: {verdict(ok)}]",
            flush=True,
        )

        with BareSampler(session) as idle:
            time.sleep(3)

        for number, pk in enumerate(applications[1:5]):
            Application.objects.filter(pk=pk).update(purpose=f"并发基准{number}：研修目的和作用。")
        made = []
        with BareSampler(session) as busy:
            started = time.perf_counter()
            makers = [
                threading.Thread(
                    target=lambda pk=pk: made.append(pdf_once(session, f"/documents/applications/{pk}/form.pdf"))
                )
                for pk in applications[1:5]
            ]
            for maker in makers:
                maker.start()
            for maker in makers:
                maker.join()
            all_four = time.perf_counter() - started
        idle_ms, busy_ms = idle.latencies, busy.latencies
        print(
            f"2. a bare request (GET /login/) idle: p50 {statistics.median(idle_ms) * 1000:.0f} ms, "
            f"p95 {idle.p95() * 1000:.0f} ms; while 4 PDFs are made at once ({all_four:.1f} s for all four, "
            f"{len(busy_ms)} requests): p50 {statistics.median(busy_ms) * 1000:.0f} ms, p95 {busy.p95() * 1000:.0f} ms, "
            f"max {max(busy_ms) * 1000:.0f} ms",
            flush=True,
        )

        # 3. Sustained: the idle p95 just before, in the same run, is the baseline.
        with BareSampler(session) as idle:
            time.sleep(10)
        with BareSampler(session) as busy:
            delivered, took, last, asked = sustained(session, visible)
        rate = delivered / SUSTAINED_SECONDS
        rate_ok = rate >= TARGET_RATE
        allowed = p95_allowed(idle.p95())
        p95_ok = busy.p95() <= allowed
        missed += ([] if rate_ok else ["PDFs a second"]) + ([] if p95_ok else ["bare p95 while PDFs are made"])
        print(
            f"3. PDFs sustained: {OFFERED_RATE:g} new versions asked a second for {SUSTAINED_SECONDS:.0f} s "
            f"({asked} asked), {delivered} delivered within the window = {rate:.2f} PDFs a second "
            f"[target ≥ {TARGET_RATE:g}/s: {verdict(rate_ok)}]; each took p50 {statistics.median(took):.2f} s, "
            f"p95 {percentile(took, 0.95):.2f} s; the last one at {last:.1f} s\n"
            f"   a bare request meanwhile: p50 {statistics.median(busy.latencies) * 1000:.0f} ms, "
            f"p95 {busy.p95() * 1000:.1f} ms ({len(busy.latencies)} requests) against idle p95 "
            f"{idle.p95() * 1000:.1f} ms (p50 {statistics.median(idle.latencies) * 1000:.0f} ms) "
            f"[target: unchanged, ≤ {allowed * 1000:.1f} ms: {verdict(p95_ok)}]",
            flush=True,
        )
        print(f"load average at the end: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
    if missed:
        print(f"missed: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
