from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "institution", "authority", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("单位与角色", {"fields": ("display_name", "phone", "role", "institution", "authority")}),
    )
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("单位与角色", {"fields": ("role", "institution", "authority")}))
