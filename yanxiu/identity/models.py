from django.conf import settings
from django.db import models

from .enums import BindingState, Kind


class BindingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An institution's administrator sees its own institution's bindings; nobody else any."""
        if getattr(user, "is_org_admin", False) and user.institution_id:
            return self.filter(institution_id=user.institution_id)
        return self.none()


class Binding(models.Model):
    """One identity of a unified-identity provider (闽政通, i厦门…: `provider` is its key in
    YANXIU_OIDC_PROVIDERS) bound to one account of this system (decision 0025). A person's is
    made confirmed at the first login (their ID number matched an account); a legal entity's is
    made pending and gets its account when the institution's administrator confirms it."""

    provider = models.CharField("身份提供方", max_length=30)
    subject = models.CharField("用户标识（open id）", max_length=255)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    state = models.CharField("状态", max_length=20, choices=BindingState.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="identity_bindings",
        verbose_name="账号",
    )
    institution = models.ForeignKey(
        "organisations.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="identity_bindings",
        verbose_name="承办单位",
    )
    # What the provider said at the first login, for the administrator's decision (no ID number).
    name = models.CharField("姓名或单位名称", max_length=100, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    created_at = models.DateTimeField("首次登录时间")
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="确认人",
    )
    last_login_at = models.DateTimeField("最近登录时间", null=True, blank=True)

    objects = BindingQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "统一身份认证绑定"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="one_binding_per_identity")]

    def __str__(self):
        return f"{self.provider}:{self.name or self.subject}"
