"""The system's own calendar: periodic jobs, each run once per period.

Each app declares its periodic jobs in its `periodic.py` (found like the admin
finds `admin.py`)::

    @periodic("deadline_reminders", "截止日期提醒", Daily(time(7, 0)))
    def deadline_reminders():
        return f"已发送 {send_deadline_reminders()} 条提醒。"   # the outcome, shown to the administrator

A period is named from the business clock (`core.clock`): a day ("2026-12-07") for a
daily job, the start of its slot for an interval job. Whichever scheduler process
first inserts the (job, period) row of `ScheduledRun` runs the job for that period;
the others see the row and skip it, so any number of schedulers on any number of
servers run each period once. A run left "running" by a scheduler that died (no
heartbeat) is taken over. A scheduler asks for every job's current period when it
starts and every minute, so a period missed while nothing ran (downtime) runs then:
the latest period only, never a backlog (decision 0021).

The timing is APScheduler's (management/commands/scheduler.py); the claim, the record
and the catch-up are here.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from yanxiu.core import clock
from yanxiu.core.refusal import Refused

from ..enums import RunState
from ..models import ScheduledRun
from . import heartbeats

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Every:
    """Every `seconds`; periods are slots of that length from the epoch."""

    seconds: int

    def period(self, now):
        start = int(now.timestamp()) // self.seconds * self.seconds
        return timezone.localtime(datetime.fromtimestamp(start, tz=UTC)).strftime("%Y-%m-%d %H:%M:%S")

    def trigger(self):
        return IntervalTrigger(seconds=self.seconds)

    def __str__(self):
        return f"每 {self.seconds} 秒"


@dataclass(frozen=True)
class Daily:
    """Once a day at `at` (local time); the period is the day whose `at` last passed."""

    at: time

    def period(self, now):
        local = timezone.localtime(now)
        day = local.date() if local.time() >= self.at else local.date() - timedelta(days=1)
        return day.isoformat()

    def trigger(self):
        return CronTrigger(hour=self.at.hour, minute=self.at.minute, timezone=settings.TIME_ZONE)

    def __str__(self):
        return f"每天 {self.at:%H:%M}"


@dataclass(frozen=True)
class Periodic:
    name: str
    title: str
    schedule: Every | Daily
    func: object


JOBS: dict[str, Periodic] = {}


def periodic(name, title, schedule):
    def register(func):
        JOBS[name] = Periodic(name, title, schedule, func)
        return func

    return register


def load():
    """Every app's periodic jobs, by name."""
    autodiscover_modules("periodic")
    return dict(sorted(JOBS.items()))


def claim(job, period, process):
    """The run of `job` for `period` if this process may run it now, else None: it inserted
    the row, or took over a run whose scheduler stopped beating."""
    now = timezone.now()
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(
                job=job.name, title=job.title, period=period, process=process, started_at=now
            )
    except IntegrityError:
        pass  # claimed already: finished, running elsewhere, or left by a dead scheduler
    run = ScheduledRun.objects.filter(job=job.name, period=period, state=RunState.RUNNING).first()
    if run is None or run.process == process or run.process in heartbeats.alive_processes([run.process]):
        return None
    taken = ScheduledRun.objects.filter(pk=run.pk, state=RunState.RUNNING, process=run.process).update(
        process=process, attempt=F("attempt") + 1, started_at=now
    )
    if not taken:
        return None  # another scheduler took it over first
    run.refresh_from_db()
    return run


def run(job, process):
    """Run `job` for its current period unless that period is claimed; the run, or None."""
    current = claim(job, job.schedule.period(clock.now()), process)
    if current is None:
        return None
    try:
        outcome = job.func()
    except Refused as refusal:
        current.state, current.error = RunState.FAILED, refusal.reason
    except Exception as exc:  # recorded for the administrator, logged with its traceback
        logger.exception("periodic job %s failed", job.name)
        current.state, current.error = RunState.FAILED, f"执行出错：{type(exc).__name__}: {exc}"[:2000]
    else:
        current.state, current.outcome = RunState.SUCCEEDED, str(outcome or "完成")[:2000]
    current.finished_at = timezone.now()
    current.save(update_fields=["state", "outcome", "error", "finished_at"])
    return current


def run_safely(job, process):
    """For the scheduler's threads: never raises (a database down for a moment is logged;
    the next minute's sweep asks again)."""
    close_old_connections()
    try:
        return run(job, process)
    except Exception:
        logger.exception("could not run periodic job %s", job.name)
        return None
    finally:
        close_old_connections()


def run_due(process, names=None):
    """Every job's current period that no one has run yet (at start-up, then every minute)."""
    return [r for job in load().values() if names is None or job.name in names if (r := run_safely(job, process))]
