"""PDF benchmark (issues 11 and 13): run .venv/bin/python bench/pdf.py

Serves the app the way users get it: gunicorn (2 workers) on 127.0.0.1:2023,
the PDF worker (`db_worker --queue-name pdf`) and the warm converter
(`manage.py pdf_converter`, 127.0.0.1:2021) as separate processes, on a
throw-away SQLite database with the demo data (BENCH_DATABASE_URL: an empty
PostgreSQL database instead). A client logged in as the province office:

  1. time to a PDF: from the first GET of form.pdf (a new version each time),
     polling like the page does, until the PDF is downloaded; median, and its
     ratio to downloading the .docx alone; a cached PDF again;
  2. a bare request's latency (GET /login/) idle and while 4 PDFs are made at once.
"""

import os
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
UNO_PORT, WEB_PORT = 2021, 2023
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


def pdf_once(session, path):
    started = time.perf_counter()
    _, body = session.get(path)
    while not body.startswith(b"%PDF-"):
        if b'data-state="failed"' in body:
            raise SystemExit(f"conversion failed: {body[-400:]!r}")
        if b'data-state="done"' in body:
            _, body = session.get(path)
            continue
        time.sleep(0.1)
        _, body = session.get(path, htmx=True)
    return time.perf_counter() - started


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main():
    from yanxiu.accounts.models import User
    from yanxiu.applications.models import Application
    from yanxiu.demo.world import seed
    from yanxiu.documents.generate import pdf

    call_command("migrate", verbosity=0)
    seed()
    client = Client()
    client.force_login(User.objects.get(username="province"))
    session = Session(client.cookies["sessionid"].value)
    applications = list(Application.objects.order_by("pk")[:5])
    target = applications[0]

    processes = [
        start([PY, "manage.py", "pdf_converter", "--port", str(UNO_PORT)], "pdf_converter"),
        start([PY, "manage.py", "db_worker", "--no-reload", "--queue-name", "pdf", "--interval", "0.2"], "pdf_worker"),
        start(
            [PY, "-m", "gunicorn", "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{WEB_PORT}", "--log-level", "warning"],
            "gunicorn",
        ),
    ]
    try:
        wait_for(lambda: pdf.unoserver_alive(os.environ["DOCUMENTS_UNOSERVER"]), "unoserver")

        def web_up():
            try:
                return session.get("/login/")[0] == 200
            except OSError:
                return False

        wait_for(web_up, "gunicorn")
        docx_path = f"/documents/applications/{target.pk}/form.docx"
        pdf_path = f"/documents/applications/{target.pk}/form.pdf"
        pdf_once(session, pdf_path)  # warm up the converter's first document

        docx_times, pdf_times = [], []
        for number in range(9):
            started = time.perf_counter()
            session.get(docx_path)
            docx_times.append(time.perf_counter() - started)
            Application.objects.filter(pk=target.pk).update(purpose=f"基准测试版本{number}：研修目的和作用。")
            pdf_times.append(pdf_once(session, pdf_path))
        cached = []
        for _ in range(9):
            started = time.perf_counter()
            session.get(pdf_path)
            cached.append(time.perf_counter() - started)
        docx_median, pdf_median = statistics.median(docx_times), statistics.median(pdf_times)
        print(
            f"1. time to a PDF (new version, queued → worker → warm converter → download): median "
            f"{pdf_median:.2f} s (max {max(pdf_times):.2f} s) = {pdf_median / docx_median:.0f} × the .docx alone "
            f"({docx_median * 1000:.0f} ms); the same version again (cached) {statistics.median(cached) * 1000:.0f} ms"
            "  [target < 2 s]"
        )

        def bare_latencies(stop, out):
            while not stop.is_set():
                started = time.perf_counter()
                session.get("/login/")
                out.append(time.perf_counter() - started)
                time.sleep(0.02)

        idle = []
        stop = threading.Event()
        sampler = threading.Thread(target=bare_latencies, args=(stop, idle))
        sampler.start()
        time.sleep(3)
        stop.set()
        sampler.join()

        for number, application in enumerate(applications[1:5]):
            Application.objects.filter(pk=application.pk).update(purpose=f"并发基准{number}：研修目的和作用。")
        busy, made = [], []
        stop = threading.Event()
        sampler = threading.Thread(target=bare_latencies, args=(stop, busy))
        sampler.start()
        started = time.perf_counter()
        makers = [
            threading.Thread(
                target=lambda a=a: made.append(pdf_once(session, f"/documents/applications/{a.pk}/form.pdf"))
            )
            for a in applications[1:5]
        ]
        for maker in makers:
            maker.start()
        for maker in makers:
            maker.join()
        all_four = time.perf_counter() - started
        stop.set()
        sampler.join()
        print(
            f"2. a bare request (GET /login/) idle: p50 {statistics.median(idle) * 1000:.0f} ms, "
            f"p95 {percentile(idle, 0.95) * 1000:.0f} ms; while 4 PDFs are made at once ({all_four:.1f} s for all four, "
            f"{len(busy)} requests): p50 {statistics.median(busy) * 1000:.0f} ms, p95 {percentile(busy, 0.95) * 1000:.0f} ms, "
            f"max {max(busy) * 1000:.0f} ms"
        )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
