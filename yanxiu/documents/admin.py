from django.contrib import admin

from .models import ExportJob, SummarySheet


@admin.register(SummarySheet)
class SummarySheetAdmin(admin.ModelAdmin):
    list_display = ["authority_name", "filled_on", "source_name", "imported_by", "imported_at"]
    readonly_fields = ["rows"]


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["description", "state", "done", "total", "requested_by", "created_at"]
