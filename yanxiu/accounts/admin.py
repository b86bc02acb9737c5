"""Accounts, lockouts and second-factor devices in the admin site, each change through
accounts.domain.changes (its duty check and its audit entry; decision 0019).

No page sets superuser status, groups or single permissions: those fields are in no
form here, and the group admin is not registered."""

from axes.admin import AccessAttemptAdmin as BaseAccessAttemptAdmin
from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import SetPasswordMixin, UserCreationForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from yanxiu.core.admin import StaticAdmin, TotpAdmin
from yanxiu.core.refusal import Refused

from .domain import changes
from .models import ADMIN_ROLES, Role, User

BUSINESS_ROLES = [(value, label) for value, label in Role.choices if value not in ADMIN_ROLES]


class ResetPasswordForm(SetPasswordMixin, forms.Form):
    """The security administrator's reset: a temporary password (checked by the password rules)."""

    password1, password2 = SetPasswordMixin.create_password_fields(label1="新密码", label2="确认新密码")

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        self.validate_passwords()
        self.validate_password_for_user(self.user)
        return super().clean()


class AccountForm(forms.ModelForm):
    """The system administrator's form: business roles only; the duty check on clean."""

    class Meta:
        model = User
        fields = [
            "username",
            "display_name",
            "email",
            "phone",
            "role",
            "institution",
            "authority",
            "is_org_admin",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "role" in self.fields:
            self.fields["role"].choices = BUSINESS_ROLES

    def _post_clean(self):
        super()._post_clean()
        try:
            changes.check_new_values(self.instance)
        except Refused as refusal:
            self.add_error("role" if "role" in refusal.errors else None, refusal.reason)


class NewAccountForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "display_name", "role", "institution", "authority"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = BUSINESS_ROLES


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = AccountForm
    add_form = NewAccountForm
    change_password_form = ResetPasswordForm
    list_display = ["username", "display_name", "role", "institution", "authority", "is_active"]
    list_filter = ["role", "is_org_admin", "is_active"]
    # e-mail and phone are encrypted (no lookups): search by account and name only
    search_fields = ["username", "display_name", "first_name", "last_name"]
    filter_horizontal = ()
    readonly_fields = [
        "password_reset",
        "password_note",
        "must_change_password",
        "password_changed_at",
        "last_login",
        "date_joined",
    ]
    fieldsets = (
        (None, {"fields": ("username", "password_note")}),
        ("个人信息", {"fields": ("display_name", "email", "phone")}),
        ("单位与角色", {"fields": ("role", "institution", "authority", "is_org_admin", "is_active")}),
        ("密码策略", {"fields": ("password_changed_at", "must_change_password")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        ("单位与角色", {"fields": ("display_name", "role", "institution", "authority")}),
    )

    # --- who may do what: the named permissions (rules.py), never Django's model flags ---

    def has_add_permission(self, request):
        return request.user.has_perm("accounts.manage_account")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("accounts.manage_account", obj)

    def has_delete_permission(self, request, obj=None):
        return False  # an account that leaves is deactivated: its history stays

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("accounts.view_user")

    def get_actions(self, request):
        return {}

    @admin.display(description="密码")
    def password_reset(self, obj):
        url = reverse("admin:auth_user_password_change", args=[obj.pk])
        return format_html('<a class="button" href="{}" data-testid="reset-password">重置密码</a>', url)

    @admin.display(description="密码")
    def password_note(self, obj):
        return "由安全管理员重置；本人在“修改密码”页修改。"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not request.user.has_perm("accounts.reset_password", obj):
            return fieldsets
        (name, options), *rest = fieldsets
        return ((name, {**options, "fields": ("username", "password_reset")}), *rest)

    def save_model(self, request, obj, form, change):
        if change:
            changes.change_account(request.user, obj, request=request)
        else:
            changes.create_account(request.user, obj, request=request)

    def save_related(self, request, form, formsets, change):
        pass  # no groups, no single permissions

    def user_change_password(self, request, id, form_url=""):  # noqa: A002 - Django's own signature
        account = self.get_object(request, unquote(id))
        if account is None:
            raise Http404("没有这个账号。")
        reason = changes.why_not_reset(request.user, account)
        if reason:
            raise PermissionDenied(reason)
        form = ResetPasswordForm(account, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                changes.reset_password(request.user, account, form.cleaned_data["password1"], request=request)
            except Refused as refusal:
                form.add_error("password1", refusal.reason)
            else:
                messages.success(request, f"已重置 {account.username} 的密码，其须在下次登录时修改。")
                return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[account.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"重置密码：{account.username}",
            "form": form,
            "opts": self.opts,
            "original": account,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "accounts/admin/reset_password.html", context)


admin.site.unregister(Group)  # groups combine duties: one role per account instead (decision 0005)


class AccessAttemptAdmin(BaseAccessAttemptAdmin):
    """Unlocking (deleting failed-login records) is the security administrator's, audited."""

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("accounts.unlock_account", obj.username if obj else None)

    def delete_model(self, request, obj):
        changes.unlock(request.user, [obj], request=request)

    def delete_queryset(self, request, queryset):
        try:
            changes.unlock(request.user, queryset, request=request)
        except Refused as refusal:
            raise PermissionDenied(refusal.reason) from None


class KeptLog:
    """Login records are evidence: read, never deleted (the security administrator's axes duty
    has delete for unlocking, i.e. AccessAttempt only)."""

    def has_delete_permission(self, request, obj=None):
        return False


class KeptAccessLogAdmin(KeptLog, AccessLogAdmin):
    pass


class KeptAccessFailureLogAdmin(KeptLog, AccessFailureLogAdmin):
    pass


class DeviceDeletion:
    """Removing a second-factor device is the security administrator's, audited."""

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("accounts.remove_device", obj.user if obj else None)

    def delete_model(self, request, obj):
        changes.remove_device(request.user, obj, request=request)

    def delete_queryset(self, request, queryset):
        try:
            for device in queryset.select_related("user"):
                changes.remove_device(request.user, device, request=request)
        except Refused as refusal:
            raise PermissionDenied(refusal.reason) from None


class AccountTotpAdmin(DeviceDeletion, TotpAdmin):
    pass


class AccountStaticAdmin(DeviceDeletion, StaticAdmin):
    pass


for model, model_admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, KeptAccessLogAdmin),
    (AccessFailureLog, KeptAccessFailureLogAdmin),
    (TOTPDevice, AccountTotpAdmin),
    (StaticDevice, AccountStaticAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
