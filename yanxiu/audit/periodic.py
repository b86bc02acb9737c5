"""Periodic jobs of this app (run by `manage.py scheduler`, yanxiu.operations)."""

from datetime import time

from yanxiu.operations.domain.schedule import Daily, periodic

from .retention import earliest_purgeable_cutoff, purge_before, retention_days


@periodic("audit_retention", "操作记录保留期清理", Daily(time(3, 30)))
def audit_retention():
    cutoff = earliest_purgeable_cutoff()
    count = purge_before(cutoff)
    return f"已清除 {count} 条 {cutoff:%Y-%m-%d %H:%M} 之前的操作记录（保留期 {retention_days()} 天）。"
