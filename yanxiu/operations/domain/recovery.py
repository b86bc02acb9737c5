"""Tasks whose worker died: a task is "running" in django-tasks-db's table with the
worker that claimed it (`worker_ids`, last one); a worker beats every few seconds
(`manage.py worker`). A running task whose worker has not beaten for `dead_after()`
was lost (the process killed, its server gone): it is put back in the queue, since
every task is idempotent, or after `max_attempts()` attempts failed with a Chinese
reason, on the task's row and on the job row the user watches (`core.jobs.tracked`).
The scheduler runs this every 20 seconds (periodic.py)."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.models import DBTaskResult

from yanxiu.core import jobs

from . import heartbeats

logger = logging.getLogger(__name__)

READY, RUNNING, FAILED = "READY", "RUNNING", "FAILED"
LOST_CLASS = "yanxiu.operations.WorkerLost"


def max_attempts():
    return int(getattr(settings, "YANXIU_TASK_MAX_ATTEMPTS", 3))


def lost_tasks():
    """Running tasks whose worker is not alive (and that started longer ago than a heartbeat's grace)."""
    running = list(
        DBTaskResult.objects.filter(status=RUNNING, started_at__lt=timezone.now() - heartbeats.dead_after()).only(
            "id", "worker_ids", "task_path", "args_kwargs", "started_at"
        )
    )
    alive = heartbeats.alive_processes({t.worker_ids[-1] for t in running if t.worker_ids})
    return [t for t in running if not t.worker_ids or t.worker_ids[-1] not in alive]


def _job_row(task):
    autodiscover_modules("tasks")  # the tasks register their job models when imported
    model = jobs.TRACKED.get(task.task_path)
    args = (task.args_kwargs or {}).get("args") or []
    return (model, args[0]) if model is not None and args else (None, None)


def recover():
    """Requeue or fail every lost task; returns (requeued, failed)."""
    requeued = failed = 0
    for task in lost_tasks():
        attempts = len(task.worker_ids)
        model, pk = _job_row(task)
        with transaction.atomic():
            if attempts < max_attempts():
                changed = DBTaskResult.objects.filter(pk=task.pk, status=RUNNING, started_at=task.started_at).update(
                    status=READY, started_at=None
                )
                if changed and model is not None:
                    jobs.requeued(model, pk)
                requeued += changed
            else:
                reason = jobs.LOST_REASON.format(attempts=attempts)
                changed = DBTaskResult.objects.filter(pk=task.pk, status=RUNNING, started_at=task.started_at).update(
                    status=FAILED, finished_at=timezone.now(), exception_class_path=LOST_CLASS, traceback=reason
                )
                if changed and model is not None:
                    jobs.abandoned(model, pk, attempts)
                failed += changed
        if changed:
            outcome = "requeued" if attempts < max_attempts() else "failed"
            logger.warning("task %s (%s) lost by its worker: %s", task.pk, task.task_path, outcome)
    return requeued, failed
