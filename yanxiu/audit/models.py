from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from yanxiu.core.refusal import Refused

IMMUTABLE = "操作记录一经写入不能修改或删除。"

# Security events (logins, lockouts, refusals…): who, from which address, with which outcome.
SECURITY_ACTIONS = {
    "login": "登录",
    "login_failed": "登录失败",
    "lockout": "账号锁定",
    "logout": "退出登录",
    "session_expired": "会话超时",
    "password_change": "修改密码",
    "password_reset": "重置密码",
    "password_expired": "密码过期",
    "otp_enrol": "启用双因素认证",
    "otp_verify": "双因素认证",
    "otp_failed": "双因素认证失败",
    "otp_recovery_codes": "生成恢复码",
    "permission_denied": "越权访问被拒绝",
}

# Changes to accounts (三员分立): who changed which account, what, from what to what. Every
# door that changes an account (the admin, the bootstrap command, the API token page, and later
# registration, invitations and unified identity) writes one through audit.log.account_change.
ACCOUNT_ACTIONS = {
    "account_create": "创建账号",
    "account_change": "修改账号",
    "admin_role_assign": "设置管理员角色",
    "password_reset": "重置密码",  # also a security event
    "account_unlock": "解除登录锁定",
    "otp_device_remove": "删除双因素设备",
    "create_api_token": "创建 API 令牌",
    "revoke_api_token": "撤销 API 令牌",
    # Each organisation administers its own staff (decision 0024).
    "account_invite": "邀请账号",
    "invitation_resend": "重新发送邀请",
    "invitation_accept": "接受邀请并设置密码",
    "account_deactivate": "停用账号",
    "account_reactivate": "启用账号",
}


class Outcome(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "失败"
    REFUSED = "refused", "拒绝"


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        # pages name each actor's organisation (User.organisation_name)
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk).select_related(
            "actor", "actor__institution", "actor__authority"
        )

    def security(self):
        return self.filter(action__in=SECURITY_ACTIONS)

    def account_changes(self):
        return self.filter(action__in=ACCOUNT_ACTIONS)

    def operations(self):
        return self.exclude(action__in=SECURITY_ACTIONS).exclude(action__in=ACCOUNT_ACTIONS)

    # The trail is append-only: bulk changes are refused like single ones. The
    # purge command removes entries past the retention period through `purge`.
    def update(self, **kwargs):
        raise Refused(IMMUTABLE, code="audit_immutable")

    def delete(self):
        raise Refused(IMMUTABLE, code="audit_immutable")

    def _purge(self):
        return super().delete()


class AuditEntry(models.Model):
    """Who did what to which object, when, from which state to which, and why.

    Security events (login, lockout, refusal…) may have no object; they carry
    the account name as typed, the client address and the outcome.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField("操作", max_length=50)
    action_label = models.CharField("操作名称", max_length=50)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    username = models.CharField("账号", max_length=150, blank=True)
    client_ip = models.CharField("客户端地址", max_length=45, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, blank=True)
    from_state = models.CharField("原状态", max_length=30, blank=True)
    to_state = models.CharField("新状态", max_length=30, blank=True)
    reason = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField("时间")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"]),
            models.Index(fields=["created_at", "id"], name="audit_created"),
            models.Index(fields=["username", "created_at"], name="audit_username"),
        ]
        verbose_name = verbose_name_plural = "操作记录"

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Refused(IMMUTABLE, code="audit_immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Refused(IMMUTABLE, code="audit_immutable")


# The data version is striped over this many rows (see DataVersion).
DATA_VERSION_SLOTS = 64


class DataVersion(models.Model):
    """A striped counter of audited writes: list pages put its sum in their ETag
    (yanxiu.audit.conditional). Each database connection bumps its own slot (one of
    DATA_VERSION_SLOTS rows, picked once per connection) in the transaction of the audit
    entry, so concurrent writers rarely wait for one another, and a transaction only ever
    locks one slot (no deadlock between slots). Every slot only grows and a bump becomes
    visible exactly when its transaction commits, so the sum, read in one statement, changes
    whenever an audited write has committed since the last read (decision 0008)."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "数据版本"

    def __str__(self):
        return str(self.value)
