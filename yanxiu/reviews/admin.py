from django.contrib import admin

from yanxiu.core.admin import ReadOnlyAdmin

from .models import Assignment, ExpertProfile, ReviewRound


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "affiliation", "institution", "authority", "expertise"]
    search_fields = ["user__username", "user__display_name", "affiliation"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["domains"]


@admin.register(ReviewRound)
class ReviewRoundAdmin(admin.ModelAdmin):
    """Read-only: rounds change through the review pages, which keep the audit log."""

    list_display = ["name", "call", "scope", "deadline", "reviews_per_application", "anonymous"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: assignments change through the domain functions."""

    list_display = ["round", "application", "expert", "state", "is_automatic", "assigned_at"]
    list_filter = ["round", "state"]
