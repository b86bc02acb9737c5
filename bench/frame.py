"""What every page pays, in process: the bare view, the institution dashboard and the application detail
(issue 26). Run: BENCH_DATABASE_URL=postgres://…/<db> .venv/bin/python bench/frame.py [N] [--profile]

On a database bench/serve.py has filled (its users bench-officer and bench-staff), with production
settings (DJANGO_ENV=production, as bench/serve.py starts gunicorn), through django.test.Client in
this process: milliseconds per request (median of 5 rounds of N requests, default 100) and queries
per request for each page. Every request of the dashboard and the detail is a first render (neither
is conditional). `--profile` prints cProfile's top functions of each page instead.
"""

import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.update(
    DJANGO_ENV="production",
    DJANGO_SECRET_KEY="bench-only-" + "x" * 50,
    YANXIU_DATA_KEY="bench:" + "ab" * 32,
    DJANGO_ALLOWED_HOSTS="testserver",
    DJANGO_SECURE_SSL_REDIRECT="0",
    YANXIU_BENCH_URLS="1",
    YANXIU_OTP_REQUIRED="0",
    YANXIU_FORCE_PASSWORD_CHANGE="0",
    LOG_LEVEL="WARNING",
)
os.environ.setdefault("DJANGO_STATIC_ROOT", "/tmp/yanxiu-bench-frame-static")
if "BENCH_DATABASE_URL" not in os.environ:
    raise SystemExit("BENCH_DATABASE_URL: a database bench/serve.py has filled")

import lists  # noqa: E402, F401  (sets up Django on the bench database)
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402


def frame_only(request):
    """The page frame alone: base.html around an empty content block, behind login_required."""
    from django.contrib.auth.decorators import login_required
    from django.shortcuts import render

    return login_required(lambda request: render(request, "core/base.html", {}))(request)


urlpatterns = [path("bench/frame/", frame_only), path("", include("config.urls"))]


def client_for(username):
    from yanxiu.accounts.models import User

    client = Client(HTTP_X_FORWARDED_PROTO="https")  # behind nginx, as production is
    client.force_login(User.objects.get(username=username))
    client.get("/bench/bare/")  # the CSRF cookie a browser holds after its first page
    return client


def pages():
    from yanxiu.applications.models import Application
    from yanxiu.calls.models import Call

    call = Call.objects.get(year=2026)
    detail = Application.objects.filter(call=call, state="forwarded").order_by("pk").first().pk
    return [
        ("bare login_required view", "/bench/bare/", "bench-officer"),
        ("the frame alone (base.html), officer", "/bench/frame/", "bench-officer"),
        ("the frame alone (base.html), staff", "/bench/frame/", "bench-staff"),
        ("institution dashboard", "/applications/", "bench-staff"),
        ("application detail (officer)", f"/applications/{detail}/", "bench-officer"),
        ("application detail (staff)", f"/applications/{detail}/", "bench-staff"),
    ]


def timed(client, url, count):
    """(wall s, this process's CPU s) a request"""
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - started) / count, (time.process_time() - cpu) / count


def calls(client, url, count=20):
    """Python function calls a request (cProfile): the work done here, whatever the machine's load."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    timed(client, url, count)
    profiler.disable()
    return pstats.Stats(profiler).total_calls / count


@override_settings(ROOT_URLCONF=__name__)
def main():
    count = int(next((a for a in sys.argv[1:] if a.isdigit()), "100"))
    profile = "--profile" in sys.argv
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # production's manifest
    clients = {}
    for name, url, who in pages():
        client = clients.setdefault(who, client_for(who))
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        queries = queries.captured_queries  # now: the next request's start empties the log
        if profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            timed(client, url, count)
            profiler.disable()
            print(f"\n===== {name} {url}: {len(queries)} queries")
            for query in queries:
                print("   ", query["sql"][:160])
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            continue
        rounds = [timed(client, url, count) for _ in range(5)]
        wall, cpu = sorted(w for w, _ in rounds)[2], sorted(c for _, c in rounds)[2]
        print(
            f"  {name}: {wall * 1000:.2f} ms a request (CPU here {cpu * 1000:.2f} ms; medians of 5 × {count}), "
            f"{len(queries)} queries, {calls(client, url):.0f} function calls",
            flush=True,
        )


if __name__ == "__main__":
    main()
