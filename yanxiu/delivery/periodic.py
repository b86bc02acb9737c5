"""Periodic jobs of this app (run by `manage.py scheduler`, yanxiu.operations)."""

from datetime import time

from yanxiu.operations.domain.schedule import Daily, periodic

from .domain import quality
from .domain.programmes import ensure_programmes, flag_overdue


@periodic("overdue_programmes", "逾期项目标记", Daily(time(1, 0)))
def overdue_programmes():
    created = ensure_programmes()
    flagged = flag_overdue()
    return f"新建实施记录 {created} 个，标记未按计划完成 {len(flagged)} 个。"


@periodic("host_quality", "承办质量评分", Daily(time(1, 30)))
def host_quality():
    return f"已更新 {quality.refresh_all()} 个承办单位的质量评分。"
