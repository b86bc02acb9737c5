"""Heartbeats of the background processes (workers, the PDF converter, schedulers).

Liveness is physical time (`timezone.now()`), never the business clock
(`core.clock`), which tests and the demo pin: a process seen within
`dead_after()` is alive; one not seen longer is taken for dead (killed, its
server gone), and its work is recovered (domain/recovery.py)."""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from ..models import Heartbeat

logger = logging.getLogger(__name__)


def beat_seconds():
    return float(getattr(settings, "YANXIU_HEARTBEAT_SECONDS", 5))


def dead_after():
    return timedelta(seconds=float(getattr(settings, "YANXIU_DEAD_AFTER_SECONDS", 20)))


def new_process_id():
    """Unique per process start, at most 64 characters (django-tasks-db's worker id)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"


def beat(process, kind, queues=""):
    now = timezone.now()
    updated = Heartbeat.objects.filter(process=process).update(seen_at=now, stopped_at=None)
    if not updated:
        Heartbeat.objects.create(
            process=process,
            kind=kind,
            queues=queues,
            host=socket.gethostname()[:100],
            pid=os.getpid(),
            started_at=now,
            seen_at=now,
        )


def stopped(process):
    Heartbeat.objects.filter(process=process).update(stopped_at=timezone.now())


def alive(kind, queue=None):
    """Heartbeats of `kind` seen within `dead_after()` (and serving `queue`, for workers)."""
    beats = Heartbeat.objects.filter(kind=kind, stopped_at=None, seen_at__gte=timezone.now() - dead_after())
    if queue is None:
        return beats
    return [b for b in beats if queue in b.queues.split(",") or "*" in b.queues.split(",")]


def alive_processes(processes):
    """Of these process ids, those alive now."""
    return set(
        Heartbeat.objects.filter(
            process__in=list(processes), stopped_at=None, seen_at__gte=timezone.now() - dead_after()
        ).values_list("process", flat=True)
    )


class Beating:
    """`with Beating(process, kind):` beats now and every few seconds from a thread
    (its own database connection), while the block runs; marks a clean stop at its end.
    `healthy()`, if given, is asked first: no beat while it answers False."""

    def __init__(self, process, kind, queues="", healthy=None):
        self.process, self.kind, self.queues, self.healthy = process, kind, queues, healthy
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{kind}", daemon=True)

    def _once(self):
        try:
            if self.healthy is None or self.healthy():
                beat(self.process, self.kind, self.queues)
        except Exception:  # the database may be down for a moment: try again at the next beat
            logger.exception("heartbeat failed")
        finally:
            connections.close_all()

    def _run(self):
        while not self._stop.wait(beat_seconds()):
            self._once()

    def __enter__(self):
        self._once()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=10)
        try:
            stopped(self.process)
        except Exception:  # stopping anyway: the beat simply ages
            logger.exception("could not record the stop")
        return False
