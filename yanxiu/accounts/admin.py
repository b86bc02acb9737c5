from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm

from yanxiu.audit import log

from .models import User


class ResetPasswordForm(AdminPasswordChangeForm):
    """A password set by an administrator is temporary: its owner changes it at the next login."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = True
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = ResetPasswordForm
    list_display = ["username", "display_name", "role", "institution", "authority", "is_active"]
    list_filter = ["role", "is_active"]
    # e-mail and phone are encrypted (no lookups): search by account and name only
    search_fields = ["username", "display_name", "first_name", "last_name"]
    readonly_fields = ["password_changed_at", "last_login", "date_joined"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("单位与角色", {"fields": ("display_name", "phone", "role", "institution", "authority")}),
        ("密码策略", {"fields": ("password_changed_at", "must_change_password")}),
    )
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("单位与角色", {"fields": ("role", "institution", "authority")}))

    def user_change_password(self, request, id, form_url=""):  # noqa: A002 - Django's own signature
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            log.security_event(
                request,
                "password_reset",
                username=User.objects.get(pk=id).username,
                reason=f"由 {request.user.username} 重置，须在下次登录时修改",
            )
        return response
