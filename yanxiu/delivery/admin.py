from django.contrib import admin

from .models import AuthorityClosingPeriod, DeliverySettings


@admin.register(DeliverySettings)
class DeliverySettingsAdmin(admin.ModelAdmin):
    """Per-call delivery settings (credit hours per day, closing deadline, thresholds), for the province office."""

    list_display = ["call", *[f.name for f in DeliverySettings._meta.fields if f.name not in ("id", "call")][:5]]


@admin.register(AuthorityClosingPeriod)
class AuthorityClosingPeriodAdmin(admin.ModelAdmin):
    list_display = ["call", "authority", "days", "unit", "note"]
