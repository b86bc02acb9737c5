"""Periodic jobs of this app (run by `manage.py scheduler`, yanxiu.operations)."""

from datetime import time

from yanxiu.operations.domain.schedule import Daily, periodic

from .renditions import forget_old


@periodic("pdf_renditions_purge", "清理旧的 PDF 缓存", Daily(time(4, 20)))
def pdf_renditions_purge():
    return f"已清除 {forget_old()} 个 PDF 缓存（需要时会重新生成）。"
