from django.contrib import admin

from .models import Batch


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    """Read-only: batches change only through the authority's and province's pages."""

    list_display = ["__str__", "call", "tier", "authority", "state", "submitted_at"]
    list_filter = ["call", "tier", "state"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
