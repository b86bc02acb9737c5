"""List pages measured the way users are served: gunicorn (4 workers), production settings.

Run: .venv/bin/python bench/serve.py [N]   (or `make bench`)

With N forwarded applications (default 5,000) and 3 expert reviews each in a
throw-away database (SQLite, or the empty PostgreSQL database of
BENCH_DATABASE_URL), starts gunicorn on 127.0.0.1 (BENCH_PORT, default 18811)
with DJANGO_ENV=production and a bare login_required view (/bench/bare/, on
only with YANXIU_BENCH_URLS=1), logs users in before any clock starts, then for
every list page prints, with 4 concurrent clients, requests per second, p95 and
the ratio to the bare view measured in the same run, for:
  - a first render (issue 26): a URL never asked before (`?fresh=n`) AND the data changed
    since the last request: before each request the data version moves exactly as an audited
    write moves it (`audit.log.bump_version`, committed), so no kept page, no 304 and no cache
    keyed on the data version can answer; the bump's own time is not counted;
  - the same URL again (a kept page, for conditional pages);
  - a repeated request that sends back the page's ETag (conditional GET, 304).
Targets (issue 26): every list page, the institution dashboard and the application detail
≥ 0.2 × bare on a first render with p95 < 150 ms; kept pages and 304s ≥ 0.5 ×. Each figure
is printed beside its baseline. Exits 1 when a target is missed.
"""

import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
# The server and this process sign sessions with the same key (users are logged in from here).
os.environ["DJANGO_SECRET_KEY"] = "bench-only-" + "x" * 50
os.environ["YANXIU_DATA_KEY"] = "bench:" + "ab" * 32  # production refuses to start without a data key

import lists  # noqa: E402  (sets up Django on the bench database)

ROOT = HERE.parent
PORT = int(os.environ.get("BENCH_PORT", "18811"))
CLIENTS = 4
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))


def build(total):
    from yanxiu.reviews.domain import standings

    officer, call, review_round = lists.seed_round()
    lists.make_applications(total)
    lists.make_reviews(review_round)
    standings.recompute_totals(review_round)
    standings.refresh_standings(review_round)
    make_programmes(call, min(300, total // 5))  # the rest stay forwarded, for the other pages
    from django.db import connection

    if connection.vendor == "postgresql":
        # After a bulk load autovacuum both analyses the tables (the planner's statistics) and
        # vacuums them (the visibility map, which lets a count be an index-only scan: the intake's
        # count of 5,000 rows took 2.0 ms without it, 1.0 ms with it). A database in service has
        # both; a run measured minutes after its load would otherwise depend on autovacuum's timing.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return officer, call, review_round


def make_programmes(call, count):
    """Planned applications open for enrolment, for the public list."""
    from datetime import date, timedelta

    from yanxiu.applications.models import Application
    from yanxiu.delivery.models import Programme

    picked = list(Application.objects.filter(call=call).order_by("-pk").values_list("pk", flat=True)[:count])
    Application.objects.filter(pk__in=picked).update(state="provincial_ordinary")
    Programme.objects.bulk_create(
        Programme(
            application_id=pk,
            start_date=date(2026, 6, 1) + timedelta(days=n % 90),
            end_date=date(2026, 6, 4) + timedelta(days=n % 90),
            venue="福州市",
            capacity=50,
            enrolment_open=True,
        )
        for n, pk in enumerate(picked)
    )


def session_cookie(user):
    """A logged-in session, made here (logins cost 200–400 ms of hashing): the cookie header."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def request(path, headers):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


def move_data_version():
    """What an audited write does to the data version (decision 0008): one slot bumped, committed."""
    from yanxiu.audit.log import bump_version

    bump_version()  # autocommit: committed when this returns


def load(path, headers, expect=200, seconds=SECONDS, clients=CLIENTS, fresh=False):
    """(requests/s, p95 s, errors) with `clients` threads for `seconds`; `fresh`: a first render,
    a query string never asked before on each request and the data version moved just before it
    (no kept copy can answer: every request renders). The bump is outside the clock."""
    from django.db import connections

    latencies, errors, lock = [], [], threading.Lock()
    stop = time.perf_counter() + seconds
    counter = iter(range(10**9))
    busy = [0.0]  # seconds spent timing requests, summed over clients

    def client():
        try:
            while time.perf_counter() < stop:
                if fresh:
                    move_data_version()
                    url = f"{path}{'&' if '?' in path else '?'}fresh={next(counter)}"
                else:
                    url = path
                started = time.perf_counter()
                status, _, _ = request(url, headers)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    busy[0] += elapsed
                    if status != expect:
                        errors.append(status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Requests per second while the clients were waiting for the server (the bumps excluded).
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else latencies[0]
    return len(latencies) * clients / busy[0], p95, len(errors)


STATIC_ROOT = os.path.join(os.environ["YANXIU_VAR_DIR"], "static")


def start_server():
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=dict(os.environ, DJANGO_ENV="production", DJANGO_STATIC_ROOT=STATIC_ROOT, DJANGO_ALLOWED_HOSTS="x"),
        check=True,
    )
    env = dict(
        os.environ,
        DJANGO_ENV="production",
        DJANGO_STATIC_ROOT=STATIC_ROOT,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        YANXIU_BENCH_URLS="1",
        YANXIU_OTP_REQUIRED="0",  # the pages are measured, not the second factor of the office's login
        YANXIU_FORCE_PASSWORD_CHANGE="0",  # the bench's users never changed their first password
        LOG_LEVEL="WARNING",
        CACHE_LOCATION=os.path.join(os.environ["YANXIU_VAR_DIR"], "cache"),
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            request("/login/", {})
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def main():
    from django.db import connection

    from yanxiu.accounts.models import Role, User
    from yanxiu.applications.models import Application

    total = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    if os.environ.get("BENCH_REUSE") and User.objects.filter(username="bench-staff").exists():
        # BENCH_REUSE=1: the data of an earlier run in the same database (while tuning)
        from yanxiu.calls.models import Call
        from yanxiu.reviews.models import ReviewRound

        officer, staff = User.objects.get(username="bench-officer"), User.objects.get(username="bench-staff")
        call, review_round = Call.objects.get(year=2026), ReviewRound.objects.order_by("pk").first()
        total = Application.objects.filter(call=call).count()
    else:
        officer, call, review_round = build(total)
        staff_institution = Application.objects.filter(call=call).order_by("pk").first().institution
        staff = User.objects.create_user(
            "bench-staff",
            password="x",
            role=Role.INSTITUTION_STAFF,
            institution=staff_institution,
        )
    some_application = Application.objects.filter(call=call, state="forwarded").order_by("pk").first()
    from django.utils.crypto import get_random_string

    # Like a browser after its first page: the session and the CSRF cookie.
    csrf = f"csrftoken={get_random_string(32)}"
    cookies = {
        "officer": f"{session_cookie(officer)}; {csrf}",
        "staff": f"{session_cookie(staff)}; {csrf}",
        "anonymous": csrf,
    }
    # Issue 26's baselines (÷ the bare view, README's run of 2026-12-01): first render, kept page, 304.
    pages = [
        ("province intake list (申报受理)", "/applications/inbox/", "officer", (0.09, 0.76, 0.79)),
        ("selection pool (遴选)", f"/selection/{call.pk}/", "officer", (0.08, 0.54, 0.53)),
        ("review ranking (专家评审结果与排名)", f"/reviews/{review_round.pk}/results/", "officer", (0.08, 0.70, 0.77)),
        ("public programme list (报名, anonymous)", "/p/programmes/", "anonymous", (0.20, 1.41, 1.66)),
        ("institution dashboard (not conditional)", "/applications/", "staff", (0.23, None, None)),
        (
            "application detail (not conditional)",
            f"/applications/{some_application.pk}/",
            "officer",
            (0.13, None, None),
        ),
    ]
    server = start_server()
    try:
        print(
            f"{total} applications, {3 * total} reviews; {connection.vendor} behind gunicorn (4 workers, production "
            f"settings), {CLIENTS} concurrent clients, {SECONDS:.0f} s a figure"
        )
        bare_headers = {"Cookie": cookies["officer"]}
        bare_status, bare_response_headers, _ = request("/bench/bare/", bare_headers)
        assert bare_status == 200, (bare_status, bare_response_headers.get("Location"))
        for _name, path, who, _ in [("bare", "/bench/bare/", "officer", None), *pages]:  # every worker warm
            load(path, {"Cookie": cookies[who]} if cookies[who] else {}, seconds=1.5)
        bare_rps, bare_p95, _ = load("/bench/bare/", bare_headers)
        print(f"  bare login_required view: {bare_rps:.0f} req/s, p95 {bare_p95 * 1000:.0f} ms")
        print("  targets (issue 26): first render ≥ 0.20 × bare and p95 < 150 ms; kept page and 304 ≥ 0.50 × bare")
        failed = False
        for name, path, who, (first_baseline, kept_baseline, not_modified_baseline) in pages:
            headers = {"Cookie": cookies[who]} if cookies[who] else {}
            rps, p95, errors = load(path, headers, fresh=True)
            # The data version moved during the first renders: the ETag of now, for the kept page and the 304.
            status, response_headers, _ = request(path, headers)
            assert status == 200, (path, status)
            ok = rps / bare_rps >= 0.2 and p95 < 0.150 and not errors
            failed |= not ok
            lines = [f"  {name}:"]
            lines.append(
                f"    first render {rps:.1f} req/s, p95 {p95 * 1000:.0f} ms = {rps / bare_rps:.2f} × bare "
                f"(baseline {first_baseline:.2f} ×, target ≥ 0.20 ×, p95 < 150 ms)"
                f"{f', {errors} errors' if errors else ''}{'' if ok else '  ← MISSED'}"
            )
            etag = response_headers.get("ETag")
            if etag:  # a conditional page: the same URL again (a kept page) and a 304
                k_rps, k_p95, k_errors = load(path, headers)
                k_ok = k_rps / bare_rps >= 0.5 and not k_errors
                c_rps, c_p95, c_errors = load(path, {**headers, "If-None-Match": etag}, expect=304)
                c_ok = c_rps / bare_rps >= 0.5 and not c_errors
                failed |= not (k_ok and c_ok)
                lines.append(
                    f"    kept page {k_rps:.0f} req/s, p95 {k_p95 * 1000:.0f} ms = {k_rps / bare_rps:.2f} × bare "
                    f"(baseline {kept_baseline:.2f} ×, target ≥ 0.50 ×){'' if k_ok else '  ← MISSED'}"
                )
                lines.append(
                    f"    conditional GET {c_rps:.0f} req/s, p95 {c_p95 * 1000:.0f} ms = {c_rps / bare_rps:.2f} × bare "
                    f"(baseline {not_modified_baseline:.2f} ×, target ≥ 0.50 ×){'' if c_ok else '  ← MISSED'}"
                )
            print("\n".join(lines), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
