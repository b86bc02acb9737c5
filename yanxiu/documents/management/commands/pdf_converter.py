"""Keep one LibreOffice warm for PDF conversions (unoserver), until stopped.

`make run` starts it next to the web server and the worker; the worker finds
it through `DOCUMENTS_UNOSERVER` ("127.0.0.1:2003"). Without it, conversions
still work, each through a fresh soffice with a pooled profile (slower).
"""

import contextlib
import os
import signal
import socket
import subprocess

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yanxiu.documents.generate import pdf
from yanxiu.operations.domain import heartbeats, priority
from yanxiu.operations.enums import ProcessKind


class Command(BaseCommand):
    help = "Run the warm PDF converter (unoserver with LibreOffice) in the foreground."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=2003, help="XML-RPC port (DOCUMENTS_UNOSERVER's)")
        parser.add_argument("--uno-port", type=int, default=None, help="LibreOffice's own UNO port (port + 1)")
        parser.add_argument("--profile", default="", help="LibreOffice profile directory (default: var/unoserver)")
        parser.add_argument(
            "--nice", type=int, default=None, help="CPU niceness to run at (default YANXIU_BACKGROUND_NICE, 10)"
        )

    def handle(self, *args, port, uno_port, profile, nice=None, **options):
        # Before unoserver starts: it and its LibreOffice inherit the lower priority (decision 0032).
        priority.yield_to_web(nice)
        profile = profile or os.path.join(settings.VAR_DIR, f"unoserver-{port}", "profile")
        os.makedirs(os.path.dirname(profile), exist_ok=True)
        try:
            command, env = pdf.unoserver_command(port, uno_port or port + 1, profile)
        except pdf.ConverterMissing as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"PDF converter on 127.0.0.1:{port} (DOCUMENTS_UNOSERVER=127.0.0.1:{port})")
        # A heartbeat while the converter's port answers: /readyz reports a dead or hung converter.
        with heartbeats.Beating(
            heartbeats.new_process_id(),
            ProcessKind.PDF_CONVERTER,
            queues=f"127.0.0.1:{port}",
            healthy=lambda: answers(port),
        ):
            returncode = run_until_stopped(command, env)
        if returncode not in (0, -2, -15):
            raise CommandError(f"unoserver exited with {returncode}")


def answers(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


class _Stopped(Exception):
    pass


def _raise_stopped(*_):
    raise _Stopped


def run_until_stopped(command, env, grace_seconds=5):
    """Run unoserver and its LibreOffice in a process group of their own and stop the whole group
    when this command is stopped (SIGTERM from a supervisor or a script, Ctrl-C): Python's default
    SIGTERM ends only this process, and an orphaned soffice was left spinning a core. LibreOffice
    does not always stop on SIGTERM: after `grace_seconds` the group is killed."""
    previous = signal.signal(signal.SIGTERM, _raise_stopped)  # before the group exists: no gap
    process = None
    try:
        process = subprocess.Popen(command, env=env, start_new_session=True)  # noqa: S603 (our own arguments)
        return process.wait()
    except (_Stopped, KeyboardInterrupt):
        if process is not None:
            _signal_group(process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=grace_seconds)
        return -15
    finally:
        signal.signal(signal.SIGTERM, previous)
        if process is not None:
            _signal_group(process.pid, signal.SIGKILL)  # whatever of LibreOffice is still there
            process.wait()


def _signal_group(pgid, signum):
    with contextlib.suppress(ProcessLookupError):  # the group is gone already
        os.killpg(pgid, signum)
