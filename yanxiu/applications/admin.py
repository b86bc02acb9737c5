from django.contrib import admin

from .models import Application


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications change only through the editor and the workflow."""

    list_display = ["title", "call", "tier", "institution", "state", "updated_at"]
    list_filter = ["call", "tier", "state"]
    search_fields = ["title", "institution__name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
