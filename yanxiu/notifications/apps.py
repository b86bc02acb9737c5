from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "yanxiu.notifications"
    verbose_name = "通知消息"

    def ready(self):
        from django.db import connection  # noqa: PLC0415 - models load after the app registry

        from yanxiu.core.page_versions import add_user_part  # noqa: PLC0415 - idem

        from .models import Message  # noqa: PLC0415 - idem

        # The unread count in every page's header: a kept page or a 304 must not show an old one
        # after a message is read, or one arrives without an audited write (a daily reminder).
        table, recipient = connection.ops.quote_name(Message._meta.db_table), Message.recipient.field.column
        add_user_part(f"SELECT COUNT(*) FROM {table} WHERE {recipient} = %s AND read_at IS NULL")  # noqa: S608
