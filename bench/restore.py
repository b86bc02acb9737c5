"""How long a restore of a year's data takes: run .venv/bin/python bench/restore.py [N]

A year at N applications (default 5,000), built as bench/serve.py builds it (forwarded
applications, three expert reviews each, standings, 300 planned programmes), in a throw-away
database (SQLite, or the empty PostgreSQL database of BENCH_DATABASE_URL). Then `manage.py backup`
and `manage.py restore --scratch` (the restore drill: into a scratch database, every table's rows
counted against the live one). Prints the rows, the archive's size and both times; exits 1 when a
count differs. The figure is in docs/deployment.md's runbook.
"""

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import serve  # noqa: E402  (sets up Django on the bench database)


def main():
    from django.core.management import call_command
    from django.db import connection

    from yanxiu.core.backup import row_counts

    total = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    started = time.perf_counter()
    serve.build(total)
    rows = sum(row_counts().values())
    print(
        f"a year at {total} applications: {rows} rows ({connection.vendor}), built in {time.perf_counter() - started:.0f} s"
    )
    archive = Path(tempfile.mkdtemp(prefix="yanxiu-bench-restore-")) / "yanxiu.tar.gz"
    started = time.perf_counter()
    call_command("backup", str(archive))
    backup_seconds = time.perf_counter() - started
    started = time.perf_counter()
    try:
        call_command("restore", str(archive), scratch=True)
    except Exception as problem:  # reported below
        print(f"restore drill failed: {problem}")
        return 1
    restore_seconds = time.perf_counter() - started
    print(
        f"backup {backup_seconds:.1f} s ({archive.stat().st_size / 1e6:.1f} MB); restore into a scratch "
        f"database and count every table {restore_seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
