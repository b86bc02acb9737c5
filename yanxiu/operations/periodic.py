"""This app's periodic jobs: recovering lost tasks, scheduled backups, forgetting old records."""

import re
from datetime import date, time, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from yanxiu.core import backup as backups
from yanxiu.core import clock

from .domain import rate_limit, recovery
from .domain.schedule import Daily, Every, load, periodic
from .models import Heartbeat, ScheduledRun

RECOVERY_SECONDS = 20


@periodic("lost_tasks", "恢复中断的后台任务", Every(RECOVERY_SECONDS))
def lost_tasks():
    requeued, failed = recovery.recover()
    return f"重新排队 {requeued} 个，判定失败 {failed} 个。" if requeued or failed else "无中断任务。"


BACKUP_NAME = re.compile(r"^yanxiu-(\d{4}-\d{2}-\d{2})\.tar\.gz$")


@periodic("backup", "定时备份（数据库与上传文件）", Daily(time(2, 30)))
def scheduled_backup():
    """`YANXIU_BACKUP_DIR/yanxiu-<day>.tar.gz` (manage.py backup's archive); archives older than
    `YANXIU_BACKUP_KEEP_DAYS` are deleted after a successful backup. Off when the folder is empty."""
    folder = str(getattr(settings, "YANXIU_BACKUP_DIR", "") or "")
    if not folder:
        return "未配置备份目录（YANXIU_BACKUP_DIR），未备份。"
    folder = Path(folder)
    today = timezone.localdate(clock.now())
    target = folder / f"yanxiu-{today.isoformat()}.tar.gz"
    manifest = backups.backup(target)
    keep = int(getattr(settings, "YANXIU_BACKUP_KEEP_DAYS", 30))
    removed = 0
    for old in folder.iterdir():
        match = BACKUP_NAME.match(old.name)
        if match and date.fromisoformat(match.group(1)) < today - timedelta(days=keep):
            old.unlink()
            removed += 1
    rows = sum(manifest["counts"].values())
    return f"已备份到 {target}（{rows} 行，{len(manifest['media'])} 个文件）；删除 {keep} 天前的备份 {removed} 个。"


@periodic("operations_purge", "清理运行记录与心跳", Daily(time(4, 40)))
def operations_purge():
    """Runs of frequent jobs are kept a day, of daily jobs a year; heartbeats of processes gone a week."""
    now = timezone.now()
    frequent = [job.name for job in load().values() if isinstance(job.schedule, Every)]
    runs = ScheduledRun.objects.filter(job__in=frequent, started_at__lt=now - timedelta(days=1)).delete()[0]
    runs += ScheduledRun.objects.filter(started_at__lt=now - timedelta(days=365)).delete()[0]
    beats = Heartbeat.objects.filter(seen_at__lt=now - timedelta(days=7)).delete()[0]
    return f"已清除运行记录 {runs} 条、心跳 {beats} 条。"


@periodic("rate_limit_purge", "清理公开页面提交计数", Daily(time(4, 10)))
def rate_limit_purge():
    return f"已清除 {rate_limit.forget_old()} 条 24 小时前的计数。"
