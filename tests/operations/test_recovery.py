"""A task whose worker stopped beating: requeued, then failed in Chinese after the last attempt
(yanxiu.operations.domain.recovery). The real SIGKILL is in test_processes.py."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from yanxiu.core.jobs import JobState
from yanxiu.delivery.domain import certificates
from yanxiu.delivery.models import CertificateJob
from yanxiu.delivery.tasks import build_certificates
from yanxiu.operations.domain import heartbeats, recovery
from yanxiu.operations.enums import ProcessKind
from yanxiu.operations.models import Heartbeat

from ..delivery.helpers import host_of, planned

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "pdf"]}}


@pytest.fixture
def queued(settings, django_capture_on_commit_callbacks):
    settings.TASKS = DB_TASKS
    programme = planned()
    with django_capture_on_commit_callbacks(execute=True):
        job = certificates.start_job(programme, host_of(programme), enqueue=build_certificates.enqueue)
    return programme, job, DBTaskResult.objects.get()


def running_on(task, *workers, minutes_ago=5):
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING", worker_ids=list(workers), started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    CertificateJob.objects.filter(args_of(task)).update(state=JobState.RUNNING, done=3, total=10)


def args_of(task):
    from django.db.models import Q

    return Q(pk=task.args_kwargs["args"][0])


def test_a_task_of_a_live_worker_is_left_alone(queued):
    _, job, task = queued
    heartbeats.beat("alive:1", ProcessKind.WORKER, queues="default")
    running_on(task, "alive:1")
    assert recovery.recover() == (0, 0)
    task.refresh_from_db()
    job.refresh_from_db()
    assert (task.status, job.state) == ("RUNNING", JobState.RUNNING)


def test_a_task_of_a_silent_worker_goes_back_to_the_queue(queued):
    _, job, task = queued
    heartbeats.beat("dead:1", ProcessKind.WORKER, queues="default")
    Heartbeat.objects.filter(process="dead:1").update(seen_at=timezone.now() - timedelta(seconds=21))
    running_on(task, "dead:1")
    assert recovery.recover() == (1, 0)
    task.refresh_from_db()
    job.refresh_from_db()
    assert (task.status, task.started_at, job.state, job.error) == ("READY", None, JobState.QUEUED, "")


def test_after_the_last_attempt_the_job_fails_with_a_chinese_reason_on_its_page(queued, client):
    programme, job, task = queued
    running_on(task, "gone:1", "gone:2", "gone:3")  # three workers died running it; none beats
    assert recovery.recover() == (0, 1)
    task.refresh_from_db()
    job.refresh_from_db()
    reason = "处理进程意外中断，已自动重试 3 次仍未完成，任务已停止。请重新生成；如再次失败，请联系系统管理员。"
    assert (task.status, task.traceback) == ("FAILED", reason)
    assert (job.state, job.error) == (JobState.FAILED, reason)
    client.force_login(host_of(programme))
    page = client.get(f"/delivery/{programme.pk}/certificates/jobs/{job.pk}/").content.decode()
    assert reason in page
