"""Real processes (schedulers, workers) against the test's own database.

On PostgreSQL they connect to the test database (the tests are transactional, so what
they commit is seen). On SQLite the in-memory test database is copied to a file that
the test's own connection then uses as well, until the test ends."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.conftest import FIXED_NOW

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def shared_database(tmp_path):
    """Yields the DATABASE_URL under which subprocesses see the test's database."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        yield f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        return
    file = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(file)
    connection.connection.backup(target)
    target.close()
    saved_raw, saved_name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None
    connection.settings_dict["NAME"] = str(file)
    try:
        yield f"sqlite:///{file}"
    finally:
        if connection.connection is not None:
            connection.connection.close()
        connection.settings_dict["NAME"] = saved_name
        connection.connection = saved_raw


def environment(database_url, tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YANXIU_", "DJANGO_", "PYTEST_"))}
    env.update(
        DATABASE_URL=database_url,
        YANXIU_VAR_DIR=str(tmp_path / "var"),
        DJANGO_MEDIA_ROOT=str(settings.MEDIA_ROOT),
        YANXIU_FIXED_NOW=FIXED_NOW,
        YANXIU_HEARTBEAT_SECONDS="0.5",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DOCUMENTS_UNOSERVER="",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def start(args, env, log):
    """`manage.py ARGS` in a process group of its own (so its children go with it)."""
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill_group(process, signum=signal.SIGKILL):
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signum)
    process.wait(timeout=60)


def wait_for(predicate, timeout=120, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
