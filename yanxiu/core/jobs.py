"""What every background job that builds a file (bulk export, certificates) shares,
and what happens when its worker dies: after a timeout a queued or running job
is marked failed, with a Chinese reason the page shows, so it never stays
"running" for ever; the user starts it again (every job is idempotent). A worker
that was only slow and finishes later still records its result."""

from datetime import timedelta

from django.conf import settings
from django.db import models

from . import clock


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class JobProgress:
    """Mixed into a job model with `state`, `done` and `total`."""

    @property
    def percent(self):
        return 100 if self.state == JobState.DONE else (self.done * 100 // self.total if self.total else 0)

    @property
    def is_running(self):
        return self.state in (JobState.QUEUED, JobState.RUNNING)


STALE_REASON = "后台任务超过{minutes}分钟仍未完成（处理进程可能已中断），已停止等待。请重新生成。"
UNFINISHED = (JobState.QUEUED, JobState.RUNNING)


def timeout():
    return timedelta(minutes=getattr(settings, "YANXIU_JOB_TIMEOUT_MINUTES", 30))


def _stale_reason():
    return STALE_REASON.format(minutes=int(timeout().total_seconds() // 60))


def expire_if_stale(job):
    """The job, marked failed if it has been queued or running longer than the timeout."""
    if job.state not in UNFINISHED or clock.now() - job.created_at <= timeout():
        return job
    type(job).objects.filter(pk=job.pk, state__in=UNFINISHED).update(state=JobState.FAILED, error=_stale_reason())
    job.refresh_from_db()
    return job


def expire_stale(model):
    """Every stale job of `model` (for a scheduled command); returns how many."""
    return model.objects.filter(state__in=UNFINISHED, created_at__lt=clock.now() - timeout()).update(
        state=JobState.FAILED, error=_stale_reason()
    )


# --- A job whose worker died (yanxiu.operations.domain.recovery) ---------------------------
# A task that fills one job row (first argument: the row's pk) says so with `@tracked(Model)`
# above `@task()`: when its worker dies mid-run, the row is put back in the queue (retried: jobs
# are idempotent) or, after the last attempt, failed with a Chinese reason its page shows.

TRACKED = {}


def tracked(model):
    def register(task):
        TRACKED[task.module_path] = model
        return task

    return register


LOST_REASON = (
    "处理进程意外中断，已自动重试 {attempts} 次仍未完成，任务已停止。请重新生成；如再次失败，请联系系统管理员。"
)


def requeued(model, pk):
    """The job's row after its task was put back in the queue."""
    model.objects.filter(pk=pk, state__in=UNFINISHED).update(state=JobState.QUEUED, error="")


def abandoned(model, pk, attempts):
    model.objects.filter(pk=pk, state__in=UNFINISHED).update(
        state=JobState.FAILED, error=LOST_REASON.format(attempts=attempts)
    )
