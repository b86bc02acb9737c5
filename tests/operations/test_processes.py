"""Real scheduler and worker processes: one run per period with two schedulers at once,
catch-up at start-up, and a worker killed with SIGKILL in the middle of a certificate job."""

import signal
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from yanxiu.core.jobs import JobState
from yanxiu.delivery.domain import attendance, certificates, enrolment
from yanxiu.delivery.models import Certificate, CertificateJob
from yanxiu.delivery.tasks import build_certificates
from yanxiu.operations.domain import recovery, schedule
from yanxiu.operations.enums import ProcessKind, RunState
from yanxiu.operations.models import Heartbeat, PostCounter, ScheduledRun

from ..delivery.helpers import add_trainees, host_of, planned
from .processes import environment, kill_group, shared_database, start, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "pdf"]}}


def test_two_schedulers_started_together_run_each_period_once(tmp_path):
    now = schedule.clock.now()
    for n in range(3):
        PostCounter.objects.create(key=f"old-{n}", count=1, hour=now - timezone.timedelta(hours=30 + n))
    with shared_database(tmp_path) as url:
        env = environment(url, tmp_path, YANXIU_BACKUP_DIR="")
        logs = [open(tmp_path / f"scheduler-{n}.log", "w+") for n in range(2)]  # noqa: SIM115 (closed below)
        processes = [start(["scheduler", "--once"], env, log) for log in logs]
        for process in processes:
            assert process.wait(timeout=300) == 0
        outputs = []
        for log in logs:
            log.seek(0)
            outputs.append(log.read())
            log.close()
        ran = [line.split()[1] for output in outputs for line in output.splitlines() if line.startswith("ran ")]
        jobs = sorted(schedule.load())
        assert sorted(ran) == jobs, outputs  # every job once, by one scheduler or the other
        runs = list(ScheduledRun.objects.values_list("job", "state", "error"))
        assert sorted(job for job, _, _ in runs) == jobs
        assert [(job, error) for job, state, error in runs if state != RunState.SUCCEEDED] == []
        assert ScheduledRun.objects.get(job="rate_limit_purge").outcome == "已清除 3 条 24 小时前的计数。"
        assert PostCounter.objects.count() == 0
        assert Heartbeat.objects.filter(kind=ProcessKind.SCHEDULER, stopped_at__isnull=False).count() == 2


def test_a_scheduler_starting_after_downtime_runs_the_missed_period_and_stops_cleanly(tmp_path):
    started = timezone.now()
    # Yesterday's reminders ran, then the servers were down; today's overdue check already ran.
    ScheduledRun.objects.create(
        job="deadline_reminders", title="截止日期提醒", period="2026-01-09", process="old", started_at=started
    )
    ScheduledRun.objects.create(
        job="overdue_programmes",
        title="逾期项目标记",
        period="2026-01-10",
        process="old",
        started_at=started,
        state=RunState.SUCCEEDED,
    )
    with shared_database(tmp_path) as url:
        env = environment(url, tmp_path)
        with open(tmp_path / "scheduler.log", "w+") as log:
            process = start(["scheduler", "--job", "deadline_reminders", "--job", "overdue_programmes"], env, log)
            try:
                run = wait_for(
                    lambda: (
                        ScheduledRun.objects.filter(job="deadline_reminders", period="2026-01-10")
                        .exclude(state=RunState.RUNNING)
                        .first()
                    ),
                    what="today's reminders",
                )
                process.send_signal(signal.SIGTERM)
                assert process.wait(timeout=60) == 0
            finally:
                if process.poll() is None:
                    kill_group(process)
            log.seek(0)
            output = log.read()
        assert (run.state, run.outcome) == (RunState.SUCCEEDED, "已发送 0 条提醒。"), output
        assert ScheduledRun.objects.filter(job="overdue_programmes").count() == 1  # today's had run: not again
        beat = Heartbeat.objects.get(kind=ProcessKind.SCHEDULER)
        assert beat.stopped_at is not None


@pytest.fixture
def attended(clock):
    programme = planned()
    host = host_of(programme)
    trainees = add_trainees(programme, 12)
    enrolment.review(programme, trainees, host, approve=True)
    clock("2026-09-06T09:00:00+08:00")
    for day, half in attendance.half_days(programme):
        attendance.record_attendance(programme, day, half, [t.pk for t in trainees], host)
    return programme, trainees


def test_a_job_whose_worker_was_killed_is_requeued_and_finished_by_another_worker(attended, tmp_path, settings):
    programme, trainees = attended
    settings.TASKS = DB_TASKS
    settings.YANXIU_DEAD_AFTER_SECONDS = 3
    job = certificates.start_job(programme, host_of(programme), enqueue=build_certificates.enqueue)
    task = DBTaskResult.objects.get()
    with shared_database(tmp_path) as url:
        env = environment(url, tmp_path, YANXIU_FIXED_NOW="2026-09-06T09:00:00+08:00")
        with open(tmp_path / "worker-1.log", "w+") as log:
            worker = start(["worker", "--no-startup-delay", "--interval", "0.1"], env, log)
            try:
                wait_for(
                    lambda: CertificateJob.objects.filter(pk=job.pk, state=JobState.RUNNING).exists(),
                    what="the job to run",
                )
            finally:
                kill_group(worker, signal.SIGKILL)  # the worker (and its LibreOffice) killed mid-job
        task.refresh_from_db()
        assert task.status == "RUNNING"
        requeued = wait_for(lambda: recovery.recover()[0], timeout=60, what="the lost task to be requeued")
        assert requeued == 1
        task.refresh_from_db()
        job.refresh_from_db()
        assert (task.status, job.state) == ("READY", JobState.QUEUED)
        with open(tmp_path / "worker-2.log", "w+") as log:
            second = start(["worker", "--batch", "--no-startup-delay"], env, log)
            try:
                assert second.wait(timeout=300) == 0
            except subprocess.TimeoutExpired:
                kill_group(second)
                raise
        task.refresh_from_db()
        job.refresh_from_db()
        assert (task.status, job.state, len(task.worker_ids)) == ("SUCCESSFUL", JobState.DONE, 2)
        assert Certificate.objects.filter(trainee__programme=programme).count() == len(trainees)
        assert default_storage.exists(job.file.name)
