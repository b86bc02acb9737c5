"""What `/readyz` checks: can this web node serve, and is the system behind it alive?
Each check answers (ok, 中文说明); the load balancer reads the status code."""

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.crypto import get_random_string

from ..enums import ProcessKind
from ..models import Heartbeat


def window():
    """A background process counts as alive if seen within this long (the issue: a minute)."""
    return timedelta(seconds=float(getattr(settings, "YANXIU_READY_WINDOW_SECONDS", 60)))


def check_database():
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return True, "可连接"


def check_cache():
    key, value = "yanxiu:readyz", get_random_string(8)
    cache.set(key, value, 30)
    ok = cache.get(key) == value
    return ok, "可读写" if ok else "写入后读不到"


_migrations_ok_until = 0.0


def check_migrations():
    """Unapplied migrations (cached a minute once all are applied: the plan takes a while to build)."""
    global _migrations_ok_until  # noqa: PLW0603 (a per-process memo)
    if time.monotonic() < _migrations_ok_until:
        return True, "已全部执行"
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return False, f"有 {len(plan)} 个数据库迁移未执行（manage.py migrate）"
    _migrations_ok_until = time.monotonic() + 60
    return True, "已全部执行"


def _seen(kind, queue=None):
    beats = Heartbeat.objects.filter(kind=kind, stopped_at=None, seen_at__gte=timezone.now() - window())
    if queue is not None:
        beats = [b for b in beats if queue in b.queues.split(",") or "*" in b.queues.split(",")]
    return len(beats)


def _processes(kind, queue, name):
    def check():
        count = _seen(kind, queue)
        if count:
            return True, f"{count} 个在线"
        return False, f"最近 {int(window().total_seconds())} 秒内没有{name}的心跳"

    return check


def check_pdf_converter():
    if not getattr(settings, "DOCUMENTS_UNOSERVER", ""):
        return True, "未配置常驻转换服务（每次转换单独启动 LibreOffice）"
    return _processes(ProcessKind.PDF_CONVERTER, None, "PDF 转换服务")()


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "migrations": check_migrations,
    "worker": _processes(ProcessKind.WORKER, "default", "后台任务进程"),
    "pdf_worker": _processes(ProcessKind.WORKER, "pdf", "PDF 任务进程"),
    "pdf_converter": check_pdf_converter,
}


def readiness():
    """(all ok, {name: {"ok": bool, "detail": str}}); a check that raises fails with its error's class."""
    results = {}
    for name, check in CHECKS.items():
        try:
            ok, detail = check()
        except Exception as exc:  # any failure of a dependency is an answer, never a 500
            ok, detail = False, f"检查出错：{type(exc).__name__}"
        results[name] = {"ok": bool(ok), "detail": detail}
    return all(r["ok"] for r in results.values()), results
