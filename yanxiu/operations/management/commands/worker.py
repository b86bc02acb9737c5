"""`manage.py worker`: django-tasks-db's worker, beating its heartbeat.

The same options as `db_worker` (--queue-name, --interval …). Its worker id is its
heartbeat's process id, so a task it was running when it died is found and
recovered (domain/recovery.py); it never reloads on code changes (a reloader's
parent would beat for a dead child). It runs at a lower CPU priority (--nice, YANXIU_BACKGROUND_NICE:
10), so web requests keep theirs (domain/priority.py)."""

from django_tasks_db.management.commands import db_worker

from yanxiu.operations.domain import heartbeats, priority
from yanxiu.operations.enums import ProcessKind


class Command(db_worker.Command):
    help = "运行后台任务进程（带心跳；参数同 db_worker）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--nice", type=int, default=None, help="CPU niceness to run at (default YANXIU_BACKGROUND_NICE, 10)"
        )

    def handle(self, *args, **options):
        priority.yield_to_web(options.pop("nice"))
        process = heartbeats.new_process_id()
        options.update(worker_id=process, reload=False)
        with heartbeats.Beating(process, ProcessKind.WORKER, queues=options["queue_name"]):
            super().handle(*args, **options)
