"""Shared fixtures. Tests run on a fixed clock, never on today's date.

Worlds built once (the suite's set-up is most of its time; build what many tests read once):

- ``demo`` — the demo data (``yanxiu.demo.world.seed()``: reference data, the 2026 call and its
  2027 copy, institutions, users of every role, applications in every state, a batch, a review
  round, a programme with trainees). Seeded once per test process (``demo_copy``) and loaded from
  that copy once per test module, inside a transaction that stays open for the module; every test runs in a savepoint inside it and is rolled back, so each test
  starts from the same freshly seeded world. Returns ``(call_2026, call_2027)`` like ``seed()``.
  The demo's uploaded files are copied into each test's own ``MEDIA_ROOT``.
  A module that uses ``demo`` sees the demo data in its tests that run after the first one that
  asked for it: keep demo tests and tests that expect an empty database in separate modules.
- ``shared_world(request, build)`` — the same mechanism for any world of your own (a permission
  matrix over one set of objects, say)::

      @pytest.fixture(scope="module")
      def world(request):
          yield from shared_world(request, build_the_world)   # factories, domain functions

      def test_something(db, world): ...   # `db` (or pytestmark django_db): rolled back per test

  The world's objects are Python instances built once: the database is rolled back after each
  test, an instance a test changed in memory is not (re-read it, or ``refresh_from_db()``).
- Browser tests (live server, committed data) load the demo's copy themselves (``seeded`` in
  tests/browser/conftest.py), once per test: a transaction cannot stay open under a live server.

Running: ``make test`` runs everything in parallel (pytest-xdist, one database per worker,
``--dist loadfile`` so a module's world is built once); ``pytest tests/<area>`` runs a subset in
one process; add ``-n 2`` to a subset to parallelise it. See README.md for timings.
"""

import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from tests import dbcopy
from yanxiu.accounts.domain import sms

FIXED_NOW = "2026-01-10T10:00:00+08:00"

# What every test runs with; also applied while module- and session-wide worlds are built.
TEST_SETTINGS = {
    "YANXIU_FIXED_NOW": FIXED_NOW,
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "pdf"]}},
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "YANXIU_SMS_BACKEND": "yanxiu.accounts.domain.sms.LocmemBackend",
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}

# Media folders of the worlds open right now (innermost last): copied into each test's MEDIA_ROOT.
_shared_media = []


# The files that take longest, longest first (decision 0029): `make test` hands them out before
# the others (pytest-xdist's --no-loadscope-reorder keeps this order), so that no worker starts one
# of them while the other workers run out of files. Every other file follows in collection order.
HEAVY_FIRST = [
    "tests/documents/test_pdf_service.py",
    "tests/test_demo_today.py",
    "tests/api/test_schema.py",
    "tests/browser/test_accessibility.py",
    "tests/browser/test_selection_chain.py",
    "tests/browser/test_delivery_journey.py",
    "tests/reviews/test_standings.py",
    "tests/documents/test_resaved_import.py",
    "tests/documents/test_pdf_print.py",
    "tests/browser/test_applicant_journey.py",
    "tests/browser/test_editor_keeps_typing.py",
    "tests/browser/test_registration_and_reset.py",
    "tests/browser/test_certificate_register.py",
    "tests/browser/test_identity_oidc.py",
    "tests/browser/test_details_0009.py",
]


# YANXIU_TEST_SCOPE=engine (the PostgreSQL run of .ci/run, decision 0033): only the tests whose
# outcome can depend on the database engine, those that open the database, less the browser
# journeys (Chromium drives the views that the view tests run on both engines; its CPU was a
# quarter of a run). The SQLite run, `make test` as README gives it, runs every test.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def depends_on_engine(item):
    if item.get_closest_marker("browser"):
        return False
    return item.get_closest_marker("django_db") is not None or bool(DATABASE_FIXTURES & set(item.fixturenames))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    if os.environ.get("YANXIU_TEST_SCOPE") == "engine":
        left_out = [item for item in items if not depends_on_engine(item)]
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if depends_on_engine(item)]
    rank = {path: number for number, path in enumerate(HEAVY_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


# YANXIU_TEST_CPU=<dir>: each test process writes the CPU seconds it spent per test file (set-up,
# call and tear-down, its own threads such as a live server included, child processes not) to
# <dir>/<worker>.tsv; tools/test_cpu.py adds them up. Issue 21: the suite is bound by CPU on two
# cores, so the files to make cheaper are the ones that use the most of it, not the longest.
_cpu_by_file = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    started = time.process_time()
    yield
    path = item.nodeid.split("::", 1)[0]
    _cpu_by_file[path] = _cpu_by_file.get(path, 0.0) + time.process_time() - started


def pytest_sessionfinish(session):
    folder = os.environ.get("YANXIU_TEST_CPU")
    if not folder or not _cpu_by_file:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    lines = (f"{seconds:.2f}\t{path}\n" for path, seconds in _cpu_by_file.items())
    Path(folder, f"{worker}.tsv").write_text("".join(lines))


@pytest.fixture(scope="session")
def warm_converter(tmp_path_factory):
    """The warm PDF converter (unoserver under LibreOffice), one per test process, as `make run`
    starts it: its address, or "" where LibreOffice's Python is missing.

    Every test converts through it (DOCUMENTS_UNOSERVER) instead of starting a LibreOffice for each
    document; the tests of the other paths (a pooled soffice, a failed one) turn it off. Started
    in the background: until it listens, a conversion falls back to a pooled soffice, as it does
    in production (documents/generate/pdf.py), only slower.
    """
    from tests.ports import free_ports
    from yanxiu.documents.generate import pdf

    xmlrpc_port, office_port = free_ports(2)
    try:
        command, env = pdf.unoserver_command(xmlrpc_port, office_port, tmp_path_factory.mktemp("uno") / "profile")
    except pdf.ConverterMissing:
        yield ""
        return
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield f"127.0.0.1:{xmlrpc_port}"
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path, warm_converter):
    for name, value in TEST_SETTINGS.items():
        setattr(settings, name, value)
    settings.DOCUMENTS_UNOSERVER = warm_converter
    sms.outbox.clear()  # the text messages' outbox, like django.core.mail.outbox
    settings.MEDIA_ROOT = tmp_path / "media"
    for folder in _shared_media:
        shutil.copytree(folder, settings.MEDIA_ROOT, dirs_exist_ok=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def clock(settings):
    """Move the system's clock: clock("2026-01-16T23:59:00+08:00")."""

    def move(moment):
        settings.YANXIU_FIXED_NOW = moment

    return move


# The PostgreSQL trigger that refuses TRUNCATE of the audit trail (audit/0006), off in the test
# database: transactional tests (live_server) end with Django's flush, a TRUNCATE of every table.
# tests/audit/test_trail.py turns it back on inside its own transaction to prove it refuses.
AUDIT_TRUNCATE_TRIGGER = "ALTER TABLE audit_auditentry {} TRIGGER audit_auditentry_no_truncate"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(AUDIT_TRUNCATE_TRIGGER.format("DISABLE"))
    return django_db_setup


def shared_world(request, build):
    """Build `build()` once for a module-scoped fixture; each test rolls back to it.

    Use as ``yield from shared_world(request, build)`` in a ``scope="module"`` fixture (see the
    module docstring). Opens a transaction on the default database and builds the world in it,
    with the tests' settings (fixed clock, fast password hashing, immediate tasks) and a media
    folder of its own whose files every test gets a copy of. The tests' own transactions
    (pytest-django's ``db``) become savepoints inside it and are rolled back after each test; the
    world is rolled back when the module ends, so nothing is ever committed. Not for
    transactional tests (``transactional_db``, ``live_server``): they commit and flush.
    """
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    media = request.getfixturevalue("tmp_path_factory").mktemp("shared-media")
    with blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(**TEST_SETTINGS, MEDIA_ROOT=media):
                world = build()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    _shared_media.append(media)
    try:
        yield world
    finally:
        _shared_media.remove(media)
        with blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        ContentType.objects.clear_cache()  # a world that loaded the demo's copy had its content types' ids


@pytest.fixture(scope="session")
def demo_copy(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo (``yanxiu.demo.world.seed()``) seeded once per test process and copied
    (tests/dbcopy.py) with its uploaded files: (rows, media folder). ``load_demo`` puts it back.

    Seeded on emptied tables, in a transaction that is rolled back: the copy is all that is kept.
    Loading the copy gives the same rows, with the same ids, as seeding (about a tenth of the CPU;
    issue 21): the modules that read the demo and the browser tests load it; the tests of the
    seeding itself (tests/reviews/test_demo.py, tests/test_demo_today.py) seed.
    """
    from yanxiu.demo import world as demo

    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("flush", interactive=False, verbosity=0)
        with override_settings(**TEST_SETTINGS, MEDIA_ROOT=media):
            demo.seed()
        copy = dbcopy.take()
        transaction.set_rollback(True)
    ContentType.objects.clear_cache()
    return copy, media


def load_demo(demo_copy):
    """Empty the tables and load the demo's copy, its files into MEDIA_ROOT, with an empty
    cache (the page cache, the rate limits): (call_2026, call_2027) like ``seed()``."""
    from django.conf import settings

    from yanxiu.calls.models import Call

    copy, media = demo_copy
    dbcopy.put_back(copy)
    shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    cache.clear()
    return Call.objects.get(year=2026), Call.objects.get(year=2027)


@pytest.fixture(scope="module")
def demo_world(request, demo_copy):
    """The demo data, loaded once for the module (use `demo` in tests)."""
    yield from shared_world(request, lambda: load_demo(demo_copy))


@pytest.fixture
def demo(demo_world, db):
    """The demo data (`yanxiu.demo.world.seed()`), rolled back after each test: (call_2026, call_2027)."""
    return demo_world


@pytest.fixture
def wall_clock(monkeypatch):
    """Freeze the real time sessions and passwords are measured on (core.clock.wall_now)
    and move it: wall_clock.move(minutes=31). Starts at the fixed test moment."""
    from yanxiu.core import clock as core_clock

    class WallClock:
        now = datetime.fromisoformat(FIXED_NOW)

        def move(self, **delta):
            self.now += timedelta(**delta)

    frozen = WallClock()
    monkeypatch.setattr(core_clock, "wall_now", lambda: frozen.now)
    return frozen
