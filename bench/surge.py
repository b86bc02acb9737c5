"""The deadline surge (issues 13 and 26): run .venv/bin/python bench/surge.py [N] [SECONDS]

N institutions (default 1,000), each with one complete draft application, seeded
directly in a throw-away database (SQLite, or the empty PostgreSQL database of
BENCH_DATABASE_URL). gunicorn serves the app as bench/serve.py does (4 workers,
production settings). Each institution starts at its own moment, spread evenly
over SECONDS (default 60), and does what a member of staff does on the last day:

  1. opens the editor (GET …/edit/),
  2. changes the purpose and the editor autosaves (POST …/edit/ with HX-Request),
  3. submits (POST …/submit/).

Prints every step's p95 and the whole surge's, the errors (any unexpected status
or a refused save/submit) and the lost writes, checked in the database afterwards:
every application must be submitted with the autosaved purpose. Targets (issue 26):
1,000 institutions within 60 s, 0 errors, 0 lost writes, p95 < 0.5 s; each figure is
printed beside its target and the baseline before issue 26 (300 within 30 s). Exits 1
when one is missed. Each institution is a browser of its own: a new connection for each
request (no keep-alive shared between institutions). Also printed: the CPU time the
gunicorn workers spent per institution, and the CPU the bench client itself used (a
thread per institution, so it is shown not to be the bottleneck).

.venv/bin/python bench/surge.py --in-process [N] measures the same three requests in
this process through Django's test client (no gunicorn, no network): the queries and
the milliseconds of each, on a machine too loaded for the surge itself.
"""

import http.client
import os
import re
import statistics
import sys
import threading
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import serve  # noqa: E402  (sets up Django on the bench database, starts gunicorn)

TARGET_P95 = 0.5
TARGET_COUNT, TARGET_SECONDS = 1000, 60.0
# Before issue 26 (README, 2026-12-01, PostgreSQL, idle): 300 institutions within 30 s, p95 per step
# and for all requests; the queries of each step (README; in process on SQLite the base commit read
# 21 / 33 / 26 with BEGIN and COMMIT counted).
BASELINE = {"count": 300, "seconds": 30, "open the editor": 0.032, "autosave": 0.025, "submit": 0.019, "all": 0.030}
BASELINE_QUERIES = {"open the editor": 20, "autosave": 29, "submit": 26}
# The afternoon of the provincial deadline (the call's 2026-02-20), for this process and the server.
DEADLINE_DAY = "2026-02-20T15:00:00+08:00"
os.environ["YANXIU_FIXED_NOW"] = DEADLINE_DAY


def seed(count):
    """`count` institutions, each with a member of staff and a complete draft: the first made by
    the test factories (through the editing domain), the others copied from it in bulk (seeding
    1,000 one by one took minutes). The authority has a reviewer, whom each submission notifies."""
    from django.conf import settings
    from django.core.management import call_command

    from tests import factories

    settings.YANXIU_FIXED_NOW = DEADLINE_DAY
    from tests.applications.test_views import editor_post
    from yanxiu.accounts.models import Role, User
    from yanxiu.applications.models import Application, Lecturer, ScheduleSession, TopicClaim
    from yanxiu.organisations.models import Institution

    call_command("migrate", verbosity=0)
    factories.call_2026()
    first = factories.institution()
    factories.reviewer(first.authority)
    model = factories.complete("provincial", actor=_staff(User, Role, first, 0))
    sessions, lecturers, claims = (
        list(model.sessions.all()),
        list(model.lecturers.all()),
        list(model.topic_claims.all()),
    )
    institutions = [first]
    for n in range(1, count):
        copy = Institution.objects.get(pk=first.pk)
        copy.pk, copy.name, copy.uscc = None, f"截止日单位{n}", factories.uscc(900000 + n)
        institutions.append(copy)
    Institution.objects.bulk_create(institutions[1:], batch_size=500)
    users = [User.objects.get(institution=first)]
    for n, institution in enumerate(institutions[1:], start=1):
        users.append(_staff(User, Role, institution, n, save=False))
    User.objects.bulk_create(users[1:], batch_size=500)
    applications = [model]
    for institution, user in zip(institutions[1:], users[1:], strict=True):
        copy = Application.objects.get(pk=model.pk)
        copy.pk, copy.institution, copy.created_by = None, institution, user
        applications.append(copy)
    Application.objects.bulk_create(applications[1:], batch_size=500)
    for rows, row_model in ((sessions, ScheduleSession), (lecturers, Lecturer), (claims, TopicClaim)):
        copies = []
        for application in applications[1:]:
            for row in rows:
                copy = row_model.objects.model(
                    **{f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
                )
                copy.pk, copy.application = None, application
                copies.append(copy)
        row_model.objects.bulk_create(copies, batch_size=1000)
    drafts = []
    for n, (user, application) in enumerate(zip(users, applications, strict=True)):
        data = editor_post(application, purpose=f"截止日前最后修改的研修目的（第{n}号单位）。")
        drafts.append((user, application, data))
    return drafts


def _staff(User, Role, institution, n, save=True):  # noqa: N803  (the model classes)
    user = User(
        username=f"surge-staff-{n}", role=Role.INSTITUTION_STAFF, institution=institution, must_change_password=False
    )
    user.set_unusable_password()
    if save:
        user.save()
    return user


def request(method, path, headers, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", serve.PORT, timeout=60)
    try:
        connection.request(method, path, body=body, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        return response.status, response.getheader("Location") or "", response.read().decode()
    finally:
        connection.close()


def encode(data):
    pairs = [
        (key, "" if item is None else str(item))
        for key, value in data.items()
        for item in (value if isinstance(value, list) else [value])
    ]
    return urllib.parse.urlencode(pairs)


def field(name, html):
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    return found.group(1) if found else ""


def staff_member(application, cookie, data, timings, errors):
    """One institution's last minutes: open, autosave, submit."""
    headers = {"Cookie": cookie}
    post = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
    edit = f"/applications/{application.pk}/edit/"

    def step(name, method, path, head, body, ok):
        started = time.perf_counter()
        try:
            status, location, text = request(method, path, head, body)
        except OSError as exc:
            status, location, text = f"{type(exc).__name__}", "", ""
        timings[name].append(time.perf_counter() - started)
        if not ok(status, location, text):
            errors.append((application.pk, name, status, location, text[:200]))
            return None
        return text

    page = step("open the editor", "GET", edit, headers, None, lambda s, _l, t: s == 200 and 'id="editor"' in t)
    if page is None:
        return
    token = field("csrfmiddlewaretoken", page)
    body = {**data, "version": field("version", page), "checks_seen": field("checks_seen", page)}
    body["csrfmiddlewaretoken"] = token
    saved = step(
        "autosave",
        "POST",
        edit,
        {**post, "HX-Request": "true"},
        encode(body),
        lambda s, _l, t: s == 200 and 'data-testid="saved"' in t,
    )
    if saved is None:
        return
    step(
        "submit",
        "POST",
        f"/applications/{application.pk}/submit/",
        post,
        encode({"csrfmiddlewaretoken": token, "reason": ""}),
        lambda s, location, _t: s == 302 and location.rstrip("/").endswith(f"/applications/{application.pk}"),
    )


def workers_cpu(master):
    """CPU seconds (user + system) used so far by the gunicorn master's worker processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # ppid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def in_process(count):
    """Each step's queries and time in this process (Django's test client, no network)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["testserver"]
    drafts = seed(count)
    timings = {"open the editor": [], "autosave": [], "submit": []}
    queries = {name: set() for name in timings}
    for user, application, data in drafts:
        client = Client()
        client.force_login(user)
        edit = f"/applications/{application.pk}/edit/"

        def step(name, call):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = call()
                timings[name].append(time.perf_counter() - started)
            queries[name].add(len(captured))
            return response

        page = step("open the editor", lambda: client.get(edit))  # noqa: B023  (called at once)
        assert page.status_code == 200, page.status_code
        html = page.content.decode()
        body = {**data, "version": field("version", html), "checks_seen": field("checks_seen", html)}
        saved = step("autosave", lambda: client.post(edit, body, HTTP_HX_REQUEST="true"))  # noqa: B023
        assert saved.status_code == 200, saved.status_code
        assert 'data-testid="saved"' in saved.content.decode()
        url = f"/applications/{application.pk}/submit/"
        submitted = step("submit", lambda: client.post(url, {"reason": ""}))  # noqa: B023
        assert submitted.status_code == 302, submitted.status_code
    print(f"{count} institutions in process ({connection.vendor}, Django's test client; the first is a warm-up)")
    total = 0.0
    for name, values in timings.items():
        median = statistics.median(values[1:])
        total += median
        print(
            f"  {name}: median {median * 1000:.1f} ms, {'/'.join(map(str, sorted(queries[name])))} queries "
            f"[before issue 26: {BASELINE_QUERIES[name]}]"
        )
    print(f"  one institution: {total * 1000:.0f} ms [before issue 26: about 60 ms idle]")
    return 0


def main():
    from django.utils.crypto import get_random_string

    from yanxiu.applications.enums import ApplicationState
    from yanxiu.applications.models import Application

    if sys.argv[1:2] == ["--in-process"]:
        return in_process(int(sys.argv[2]) if len(sys.argv) > 2 else 20)
    count = int(sys.argv[1]) if len(sys.argv) > 1 else TARGET_COUNT
    spread = float(sys.argv[2]) if len(sys.argv) > 2 else TARGET_SECONDS
    started = time.perf_counter()
    drafts = seed(count)
    print(f"seeded {count} institutions with a complete draft each in {time.perf_counter() - started:.0f} s")
    cookies = [f"{serve.session_cookie(user)}; csrftoken={get_random_string(32)}" for user, _a, _d in drafts]
    timings = {"open the editor": [], "autosave": [], "submit": []}
    errors = []
    server = serve.start_server()
    try:
        # every worker warm (imports, templates, the first connection), on the first draft's editor
        warm_application = drafts[0][1]
        for _ in range(8):
            request("GET", f"/applications/{warm_application.pk}/edit/", {"Cookie": cookies[0]})
        threads = []
        load_before = os.getloadavg()[0]
        server_cpu, client_cpu = workers_cpu(server.pid), time.process_time()
        begin = time.perf_counter()
        for n, ((_user, application, data), cookie) in enumerate(zip(drafts, cookies, strict=True)):
            delay = begin + n * spread / count - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            thread = threading.Thread(target=staff_member, args=(application, cookie, data, timings, errors))
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join()
        duration = time.perf_counter() - begin
        server_cpu, client_cpu = workers_cpu(server.pid) - server_cpu, time.process_time() - client_cpu
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)

    lost = []
    for _user, application, data in drafts:
        stored = Application.objects.get(pk=application.pk)
        if stored.state != ApplicationState.SUBMITTED or stored.purpose != data["purpose"]:
            lost.append((application.pk, stored.state, stored.purpose[:30]))
    every = [t for values in timings.values() for t in values]
    p95 = statistics.quantiles(every, n=20)[-1]
    from django.db import connection

    base = BASELINE
    print(
        f"{count} institutions within {spread:.0f} s [target {TARGET_COUNT:,} within {TARGET_SECONDS:.0f} s; "
        f"before issue 26: {base['count']} within {base['seconds']} s] ({connection.vendor} behind gunicorn, "
        f"4 workers, production settings): {len(every)} requests in {duration:.1f} s; load average "
        f"{load_before:.1f} at the start, {load_after:.1f} at the end"
    )
    for name, values in timings.items():
        print(
            f"  {name}: {len(values)} requests, median {statistics.median(values) * 1000:.0f} ms, "
            f"p95 {statistics.quantiles(values, n=20)[-1] * 1000:.0f} ms [before issue 26: p95 "
            f"{base[name] * 1000:.0f} ms at {base['count']} within {base['seconds']} s]"
        )
    print(
        f"  server CPU (gunicorn workers): {server_cpu:.1f} s, {server_cpu / len(every) * 3000:.0f} ms per "
        f"institution (3 requests) of {server_cpu / duration:.2f} cores; "
        f"bench client CPU: {client_cpu:.1f} s in {duration:.0f} s ({client_cpu / duration:.0%} of one core: "
        f"{'not ' if client_cpu / duration < 0.5 else ''}the bottleneck)"
    )
    scale = count >= TARGET_COUNT and spread <= TARGET_SECONDS
    ok = not errors and not lost and p95 < TARGET_P95 and scale
    print(
        f"  all requests: p95 {p95 * 1000:.0f} ms [target < {TARGET_P95 * 1000:.0f} ms; before issue 26: "
        f"{base['all'] * 1000:.0f} ms at {base['count']} within {base['seconds']} s; issue 13's baseline 3.2 s]; "
        f"errors {len(errors)} [target 0]; lost writes {len(lost)} of {count} [target 0]"
        f"{'' if scale else f'; fewer than {TARGET_COUNT:,} within {TARGET_SECONDS:.0f} s'}"
        f"{'' if ok else '  ← MISSES'}"
    )
    for error in errors[:5]:
        print("   error:", error)
    for item in lost[:5]:
        print("   lost:", item)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
