from django.contrib import admin

from yanxiu.core.admin import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["created_at", "action_label", "actor", "content_type", "object_id", "from_state", "to_state"]
    list_filter = ["action", "content_type"]
