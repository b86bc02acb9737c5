"""`manage.py scheduler`: the system's own calendar (domain/schedule.py).

Runs every app's periodic jobs at their times with APScheduler, each once per
period however many schedulers run (a claim row in the database); at start-up and
every minute it also runs any job whose current period has not run (catch-up
after downtime). Beats a heartbeat like the workers. `--once`: run what is due
now and exit (for a cron line, or a test)."""

import signal
import threading

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.core.management.base import BaseCommand

from yanxiu.operations.domain import heartbeats, schedule
from yanxiu.operations.enums import ProcessKind

SWEEP_SECONDS = 60


class Command(BaseCommand):
    help = "运行定时任务进程：提醒、逾期标记、任务恢复、记录清理、定时备份等（每个周期只运行一次）"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只运行当前到期的任务，然后退出")
        parser.add_argument("--job", action="append", help="只运行这些任务（可多次给出）")
        parser.add_argument("--list", action="store_true", help="列出所有定时任务")

    def handle(self, *args, once=False, job=None, list=False, **options):  # noqa: A002 (the option's name)
        jobs = schedule.load()
        if list:
            for item in jobs.values():
                self.stdout.write(f"{item.name}\t{item.schedule}\t{item.title}")
            return
        names = set(job) if job else None
        process = heartbeats.new_process_id()
        stopping = threading.Event()  # SIGTERM / Ctrl-C: finish the jobs in hand, then exit 0

        def stop(*_):
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        with heartbeats.Beating(process, ProcessKind.SCHEDULER):
            self.report(schedule.run_due(process, names))
            if once or stopping.is_set():
                return
            scheduler = BackgroundScheduler(
                timezone=settings.TIME_ZONE,
                job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
                executors={"default": {"type": "threadpool", "max_workers": 4}},
            )
            for item in jobs.values():
                if names is None or item.name in names:
                    scheduler.add_job(
                        schedule.run_safely,
                        item.schedule.trigger(),
                        args=[item, process],
                        id=item.name,
                        name=item.title,
                    )
            scheduler.add_job(
                lambda: self.report(schedule.run_due(process, names)),
                IntervalTrigger(seconds=SWEEP_SECONDS),
                id="sweep",
            )
            scheduler.start()
            self.stdout.write(f"定时任务进程 {process} 已启动：{len(jobs)} 项任务。")
            self.stdout.flush()
            stopping.wait()
            scheduler.shutdown(wait=True)

    def report(self, runs):
        for run in runs:
            self.stdout.write(f"ran {run.job} {run.period} {run.state}: {run.outcome or run.error}")
        self.stdout.flush()
