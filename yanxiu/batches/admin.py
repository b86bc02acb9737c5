from django.contrib import admin

from yanxiu.core.admin import ReadOnlyAdmin

from .models import Batch


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: batches change only through the authority's and province's pages."""

    list_display = ["__str__", "call", "tier", "authority", "state", "submitted_at"]
    list_filter = ["call", "tier", "state"]
