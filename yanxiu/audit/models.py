from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk).select_related(
            "actor"
        )


class AuditEntry(models.Model):
    """Who did what to which object, when, from which state to which, and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField("操作", max_length=50)
    action_label = models.CharField("操作名称", max_length=50)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    from_state = models.CharField("原状态", max_length=30, blank=True)
    to_state = models.CharField("新状态", max_length=30, blank=True)
    reason = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField("时间")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]
        verbose_name = verbose_name_plural = "操作记录"

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action_label}"


class DataVersion(models.Model):
    """One counter bumped with every audit entry, in the same transaction: a version of the
    data that list pages put in their ETag (yanxiu.audit.conditional). The row lock of the
    update orders the bumps as their transactions commit, so an unchanged value means no
    audited write has committed since."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "数据版本"

    def __str__(self):
        return str(self.value)
