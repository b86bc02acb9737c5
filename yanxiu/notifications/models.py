from django.conf import settings
from django.db import models


class MessageQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Message(models.Model):
    """An in-app message; the same text is also sent by e-mail."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages")
    subject = models.CharField("主题", max_length=200)
    body = models.TextField("内容")
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间")
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "站内消息"

    def __str__(self):
        return self.subject


class ReminderSent(models.Model):
    """A reminder already sent, so the daily command never sends it twice."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "已发送的提醒"

    def __str__(self):
        return self.key
