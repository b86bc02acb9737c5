"""`manage.py pdf_converter` stops its LibreOffice with itself: a supervisor's or a script's SIGTERM
once left an orphaned soffice spinning a core (bench/pdf.py, decision 0007)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.ports import free_ports
from yanxiu.documents.generate import pdf

ROOT = Path(__file__).resolve().parents[2]


def processes_using(path):
    """The pids whose command line names `path`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue  # gone meanwhile
            if str(path) in command and int(entry.name) != os.getpid():
                found.append(int(entry.name))
    return found


def niceness(pid):
    return int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[16])


def wait_until(condition, seconds):
    deadline = time.monotonic() + seconds  # a bound for waiting, not a measurement
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return condition()


def test_a_terminated_converter_leaves_no_libreoffice_behind(tmp_path):
    profile = tmp_path / "uno-profile"
    port, uno_port = free_ports(2)
    command = [sys.executable, "manage.py", "pdf_converter", "--port", str(port), "--uno-port", str(uno_port)]
    command += ["--profile", str(profile)]
    converter = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_until(lambda: pdf.unoserver_alive(f"127.0.0.1:{port}"), 90), "the converter did not start"
        assert len(processes_using(profile)) >= 2  # unoserver and its soffice
        # Below the web's CPU priority, LibreOffice too (decision 0032).
        assert {niceness(pid) for pid in processes_using(profile)} == {10}
        converter.send_signal(signal.SIGTERM)
        converter.wait(30)
        assert wait_until(lambda: not processes_using(profile), 30), processes_using(profile)
        assert not pdf.unoserver_alive(f"127.0.0.1:{port}")
    finally:
        for pid in processes_using(profile):
            os.kill(pid, signal.SIGKILL)
        if converter.poll() is None:
            converter.kill()


def test_a_libreoffice_that_ignores_sigterm_is_killed_after_the_grace_time(tmp_path):
    """LibreOffice does not always stop on SIGTERM: after the grace time the converter kills the group."""
    marker = str(tmp_path / "stubborn-office")
    stubborn = [
        sys.executable,
        "-c",
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(300)",
    ]
    script = (
        "import django, os, sys; django.setup()\n"
        "from yanxiu.documents.management.commands.pdf_converter import run_until_stopped\n"
        f"sys.exit(0 if run_until_stopped({[*stubborn, marker]!r}, os.environ.copy(), grace_seconds=1) == -15 else 1)\n"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings")
    converter = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env)

    def stand_ins():  # the converter's own command line holds the marker too
        return [pid for pid in processes_using(marker) if pid != converter.pid]

    try:
        assert wait_until(stand_ins, 30), "the stand-in did not start"
        converter.send_signal(signal.SIGTERM)
        assert converter.wait(30) == 0
        assert wait_until(lambda: not processes_using(marker), 10), processes_using(marker)
    finally:
        for pid in processes_using(marker):
            os.kill(pid, signal.SIGKILL)
        if converter.poll() is None:
            converter.kill()
