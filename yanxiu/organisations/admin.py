from django.contrib import admin

from .models import Authority, DeadlineExtension, Institution, ProgrammeRecord


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "is_active"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


class ProgrammeRecordInline(admin.TabularInline):
    model = ProgrammeRecord
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "uscc",
        "type",
        "authority",
        "base_status",
        "can_issue_training_invoice",
        "registration_state",
    ]
    list_filter = ["type", "authority", "base_status", "registration_state"]
    search_fields = ["name", "uscc"]
    # Changed only by the registration's doors (its authority's confirm/refuse; decision 0023).
    readonly_fields = ["registration_state"]
    inlines = [ProgrammeRecordInline]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(admin.ModelAdmin):
    list_display = ["call", "tier", "institution", "authority", "until", "reason"]
    readonly_fields = ["granted_by", "granted_at"]

    def save_model(self, request, obj, form, change):
        if not obj.granted_by_id:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
