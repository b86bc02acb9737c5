"""What the system administrator sees of the running system: each periodic job's runs
and each background process's heartbeat, read-only (under 运行监控 in /admin/)."""

from django.contrib import admin
from django.utils import timezone

from yanxiu.core.admin import ReadOnlyAdmin

from .domain import heartbeats
from .models import Heartbeat, ScheduledRun


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("title", "period", "state", "started_at", "finished_at", "outcome", "error", "process", "attempt")
    list_filter = ("state", "title")
    search_fields = ("job", "title", "period", "error")
    date_hierarchy = "started_at"


@admin.register(Heartbeat)
class HeartbeatAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("kind", "host", "pid", "queues", "started_at", "seen_at", "status")
    list_filter = ("kind", "host")

    @admin.display(description="状态")
    def status(self, obj):
        if obj.stopped_at:
            return "已正常退出"
        return "运行中" if timezone.now() - obj.seen_at <= heartbeats.dead_after() else "无心跳（可能已中断）"
