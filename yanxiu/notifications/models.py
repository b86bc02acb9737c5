from django.conf import settings
from django.db import connection, models


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


def unread_sql():
    """The unread count of one user (one %s) as a plain statement: every page's header asks it, and
    the conditional pages' version holds it too (apps.py)."""
    table, recipient = connection.ops.quote_name(Message._meta.db_table), Message.recipient.field.column
    return f"SELECT COUNT(*) FROM {table} WHERE {recipient} = %s AND read_at IS NULL"  # noqa: S608


def unread_count(user_id):
    """Same as `Message.objects.filter(recipient_id=user_id).unread().count()`, without compiling a
    query on every page (a third of the header's cost, issue 26)."""
    with connection.cursor() as cursor:
        cursor.execute(unread_sql(), [user_id])
        return cursor.fetchone()[0]
