"""Run every benchmark and print its figures: .venv/bin/python bench/run.py (or `make bench`).

On SQLite by default (each script makes its own throw-away database). With
BENCH_DATABASE_URL=postgres://user@host:port/<name>, the scripts that serve the app
(pdf.py, serve.py, surge.py) run on PostgreSQL behind gunicorn, and assignment.py runs the
automatic assignment end to end on it, each on a database of its own, <name>_<script>,
dropped and created afresh here (the user must be allowed to create databases). Every
figure is printed with its baseline or target and the ratio."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
URL = os.environ.get("BENCH_DATABASE_URL", "")
ON_DATABASE = ("pdf.py", "assignment.py", "serve.py", "surge.py")


def fresh_database(script):
    """A new empty PostgreSQL database for `script`: its URL."""
    import psycopg

    parts = urlsplit(URL)
    name = f"{parts.path.lstrip('/')}_{script.removesuffix('.py')}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


# lists.py (in-process, query counts at 50 and N rows) is the SQLite figure; on PostgreSQL
# serve.py measures the same pages behind gunicorn.
scripts = ["documents.py", "pdf.py", "assignment.py", "serve.py", "surge.py"]
if not URL:
    scripts.insert(2, "lists.py")
failed = []
for script in scripts:
    print(f"== bench/{script}", flush=True)
    env = dict(os.environ)
    if URL and script in ON_DATABASE:
        env["BENCH_DATABASE_URL"] = fresh_database(script)
    else:
        env.pop("BENCH_DATABASE_URL", None)
    result = subprocess.run([sys.executable, str(HERE / script)], env=env, check=False)
    if result.returncode:
        failed.append(script)
if failed:
    print(f"== targets missed or failed: {', '.join(failed)}")
    sys.exit(1)
print("== every target met")
