"""The CPU the test suite spends, per file, from a run with YANXIU_TEST_CPU=<dir> (tests/conftest.py).

    YANXIU_TEST_CPU=var/cpu make test && .venv/bin/python tools/test_cpu.py var/cpu [TOP]

Prints the files that used the most CPU in the test processes (child processes such as LibreOffice,
Chromium and the worker commands are not counted: see `ps` or /usr/bin/time for those), and the
total. Issue 21: on two cores the suite is bound by CPU, so these are the files to make cheaper.
"""

import sys
from collections import Counter
from pathlib import Path


def main(folder, top=30):
    seconds = Counter()
    for log in Path(folder).glob("*.tsv"):
        for line in log.read_text().splitlines():
            spent, path = line.split("\t", 1)
            seconds[path] += float(spent)
    total = sum(seconds.values())
    for path, spent in seconds.most_common(top):
        print(f"{spent:8.1f} s  {spent / total:5.1%}  {path}")
    print(f"{total:8.1f} s  total CPU in the test processes, {len(seconds)} files")


if __name__ == "__main__":
    main(sys.argv[1], *(int(arg) for arg in sys.argv[2:3]))
