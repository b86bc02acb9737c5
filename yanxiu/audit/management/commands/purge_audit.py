from datetime import date, datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yanxiu.audit.retention import purge_before, retention_days
from yanxiu.core import clock
from yanxiu.core.refusal import Refused


class Command(BaseCommand):
    help = "清除保留期（至少 180 天）之前的操作记录：--before YYYY-MM-DD，或 --older-than-days N"

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--before", help="清除该日期（当地时间 0 时）之前的记录")
        group.add_argument("--older-than-days", type=int, help="清除早于 N 天的记录（N 不小于保留天数）")

    def handle(self, *args, before=None, older_than_days=None, **options):
        if before:
            try:
                day = date.fromisoformat(before)
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from None
            cutoff = timezone.make_aware(datetime.combine(day, time.min))
        else:
            cutoff = clock.now() - timedelta(days=older_than_days)
        try:
            count = purge_before(cutoff)
        except Refused as refused:
            raise CommandError(refused.reason) from None
        self.stdout.write(f"已清除 {count} 条 {cutoff:%Y-%m-%d %H:%M} 之前的操作记录（保留期 {retention_days()} 天）。")
