from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "yanxiu.notifications"
    verbose_name = "通知消息"

    def ready(self):
        from yanxiu.core.page_versions import add_user_part  # noqa: PLC0415 - models load after the app registry

        from .models import unread_sql  # noqa: PLC0415 - idem

        # The unread count in every page's header: a kept page or a 304 must not show an old one
        # after a message is read, or one arrives without an audited write (a daily reminder).
        add_user_part(unread_sql())
