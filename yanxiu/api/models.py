"""Personal API tokens: created and revoked by their owner, stored only as a hash."""

from django.conf import settings
from django.db import models


class ApiTokenQuerySet(models.QuerySet):
    def live(self, now):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=50)
    # The first characters, shown so the owner can tell tokens apart; never enough to use one.
    prefix = models.CharField("令牌前缀", max_length=12)
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the whole token
    created_at = models.DateTimeField("创建时间")
    expires_at = models.DateTimeField("有效期至")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    # A deciding role's token lives no longer than the web login it was made in (decision 0019):
    # that session (its key's SHA-256), when the login began and when the token was last used
    # (real time, like sessions: core.clock.wall_now).
    session_digest = models.CharField(max_length=64, blank=True, db_index=True)
    bound_login_at = models.DateTimeField("绑定登录时间", null=True, blank=True)
    bound_last_seen = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "API 令牌"

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"
