"""The system's own calendar: periods, the once-per-period claim, catch-up, the record the
system administrator reads (yanxiu.operations.domain.schedule)."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from tests import factories
from yanxiu.accounts.models import Role
from yanxiu.core.refusal import Refused
from yanxiu.operations.domain import heartbeats, schedule
from yanxiu.operations.domain.schedule import Daily, Every, Periodic
from yanxiu.operations.enums import ProcessKind, RunState
from yanxiu.operations.models import Heartbeat, PostCounter, ScheduledRun

pytestmark = pytest.mark.django_db

DAILY = Daily(time(7, 0))


def counting_job(calls, schedule_=DAILY, fails=None):
    def func():
        calls.append(1)
        if fails:
            raise fails
        return f"第 {len(calls)} 次"

    return Periodic("probe", "测试任务", schedule_, func)


def test_a_daily_period_is_the_day_whose_time_last_passed(clock):
    clock("2026-01-10T06:59:00+08:00")
    assert DAILY.period(schedule.clock.now()) == "2026-01-09"
    clock("2026-01-10T07:00:00+08:00")
    assert DAILY.period(schedule.clock.now()) == "2026-01-10"


def test_an_interval_period_is_its_slot(clock):
    clock("2026-01-10T10:00:39+08:00")
    assert Every(20).period(schedule.clock.now()) == "2026-01-10 10:00:20"
    clock("2026-01-10T10:00:40+08:00")
    assert Every(20).period(schedule.clock.now()) == "2026-01-10 10:00:40"


def test_a_period_runs_once_however_often_it_is_asked(clock):
    calls = []
    job = counting_job(calls)
    first = schedule.run(job, "node-a:1")
    assert schedule.run(job, "node-b:2") is None  # another scheduler, same period
    assert schedule.run(job, "node-a:1") is None  # the same one again
    assert calls == [1]
    assert (first.period, first.state, first.outcome) == ("2026-01-10", RunState.SUCCEEDED, "第 1 次")
    assert first.finished_at is not None
    clock("2026-01-11T07:00:00+08:00")  # the next day: a new period
    assert schedule.run(job, "node-b:2").period == "2026-01-11"
    assert calls == [1, 1]


def test_a_missed_period_runs_when_asked_later_and_only_the_latest(clock):
    """After three days down, the scheduler's start-up runs today's period, not a backlog."""
    calls = []
    job = counting_job(calls)
    ScheduledRun.objects.create(
        job="probe", title="测试任务", period="2026-01-07", process="x", started_at=timezone.now(), state="succeeded"
    )
    clock("2026-01-10T12:00:00+08:00")
    run = schedule.run(job, "node-a:1")
    assert run.period == "2026-01-10"
    assert calls == [1]
    assert list(ScheduledRun.objects.order_by("period").values_list("period", flat=True)) == [
        "2026-01-07",
        "2026-01-10",
    ]


def test_a_failure_is_recorded_in_chinese_and_not_rerun_in_the_same_period():
    calls = []
    run = schedule.run(counting_job(calls, fails=Refused("邮件服务器不可用。")), "node-a:1")
    assert (run.state, run.error) == (RunState.FAILED, "邮件服务器不可用。")
    crash = schedule.run(Periodic("crash", "出错任务", DAILY, lambda: 1 / 0), "node-a:1")
    assert (crash.state, crash.error) == (RunState.FAILED, "执行出错：ZeroDivisionError: division by zero")
    assert schedule.run(counting_job(calls), "node-a:1") is None
    assert calls == [1]


def test_a_run_left_by_a_dead_scheduler_is_taken_over_and_a_live_ones_is_not():
    calls = []
    job = counting_job(calls)
    heartbeats.beat("live:1", ProcessKind.SCHEDULER)
    left = ScheduledRun.objects.create(
        job="probe", title="测试任务", period="2026-01-10", process="live:1", started_at=timezone.now()
    )
    assert schedule.run(job, "node-b:2") is None  # its scheduler is alive: still running there
    Heartbeat.objects.filter(process="live:1").update(seen_at=timezone.now() - timedelta(minutes=5))
    taken = schedule.run(job, "node-b:2")
    assert (taken.pk, taken.process, taken.attempt, taken.state) == (left.pk, "node-b:2", 2, RunState.SUCCEEDED)
    assert calls == [1]


def test_every_periodic_job_of_the_system_is_registered():
    assert {name: str(job.schedule) for name, job in schedule.load().items()} == {
        "audit_retention": "每天 03:30",
        "backup": "每天 02:30",
        "deadline_reminders": "每天 07:00",
        "host_quality": "每天 01:30",
        "lost_tasks": "每 20 秒",
        "operations_purge": "每天 04:40",
        "overdue_programmes": "每天 01:00",
        "pdf_renditions_purge": "每天 04:20",
        "rate_limit_purge": "每天 04:10",
    }


def test_the_rate_limit_rows_are_purged_by_the_scheduler(clock):
    now = schedule.clock.now()
    PostCounter.objects.create(key="old", count=3, hour=now - timedelta(hours=30))
    PostCounter.objects.create(key="new", count=1, hour=now - timedelta(hours=2))
    run = schedule.run(schedule.load()["rate_limit_purge"], "node-a:1")
    assert run.outcome == "已清除 1 条 24 小时前的计数。"
    assert list(PostCounter.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db(transaction=True)  # SQLite's online backup waits for an open transaction
def test_the_scheduled_backup_writes_todays_archive_and_drops_old_ones(settings, tmp_path):
    settings.YANXIU_BACKUP_DIR = str(tmp_path / "backups")
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "yanxiu-2025-12-01.tar.gz").write_bytes(b"old")
    (tmp_path / "backups" / "yanxiu-2026-01-01.tar.gz").write_bytes(b"recent")
    run = schedule.run(schedule.load()["backup"], "node-a:1")
    assert run.state == RunState.SUCCEEDED, run.error
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [
        "yanxiu-2026-01-01.tar.gz",
        "yanxiu-2026-01-10.tar.gz",
    ]


def test_the_system_administrator_reads_the_runs_and_cannot_change_them(client):
    run = schedule.run(counting_job([]), "node-a:1")
    admin = factories.user(role=Role.SYSTEM_ADMIN)
    client.force_login(admin)
    page = client.get("/admin/operations/scheduledrun/")
    assert page.status_code == 200
    assert "测试任务" in page.content.decode()
    assert client.get(f"/admin/operations/scheduledrun/{run.pk}/change/").status_code == 200  # a read-only view
    response = client.post(f"/admin/operations/scheduledrun/{run.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert ScheduledRun.objects.filter(pk=run.pk).exists()
    client.force_login(factories.user(role=Role.AUDIT_ADMIN))
    assert client.get("/admin/operations/scheduledrun/").status_code in (302, 403)
