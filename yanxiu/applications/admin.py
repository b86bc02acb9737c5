from django.contrib import admin

from yanxiu.core.admin import ReadOnlyAdmin

from .models import Application


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: applications change only through the editor and the workflow."""

    list_display = ["title", "call", "tier", "institution", "state", "updated_at"]
    list_filter = ["call", "tier", "state"]
    search_fields = ["title", "institution__name"]
