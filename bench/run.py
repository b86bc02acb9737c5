"""Run every benchmark and print its figures: .venv/bin/python bench/run.py (or `make bench`).

On SQLite by default; BENCH_DATABASE_URL=postgres://…/<an empty database> measures on PostgreSQL
(serve.py behind gunicorn with production settings; recreate the database between runs)."""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# lists.py (in-process, query counts at 50 and N rows) needs its own empty database: SQLite only.
scripts = ("documents.py", "pdf.py", "assignment.py", "serve.py")
if not os.environ.get("BENCH_DATABASE_URL"):
    scripts = ("documents.py", "pdf.py", "lists.py", "assignment.py", "serve.py")
for script in scripts:
    print(f"== bench/{script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], check=script != "serve.py")
