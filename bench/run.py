"""Run every benchmark and print its figures: .venv/bin/python bench/run.py (or `make bench`)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in ("documents.py", "pdf.py", "lists.py", "assignment.py"):
    print(f"== bench/{script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], check=True)
