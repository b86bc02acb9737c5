"""`manage.py worker`: django-tasks-db's worker, beating its heartbeat.

The same options as `db_worker` (--queue-name, --interval …). Its worker id is its
heartbeat's process id, so a task it was running when it died is found and
recovered (domain/recovery.py); it never reloads on code changes (a reloader's
parent would beat for a dead child)."""

from django_tasks_db.management.commands import db_worker

from yanxiu.operations.domain import heartbeats
from yanxiu.operations.enums import ProcessKind


class Command(db_worker.Command):
    help = "运行后台任务进程（带心跳；参数同 db_worker）"

    def handle(self, *args, **options):
        process = heartbeats.new_process_id()
        options.update(worker_id=process, reload=False)
        with heartbeats.Beating(process, ProcessKind.WORKER, queues=options["queue_name"]):
            super().handle(*args, **options)
