from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "yanxiu.notifications"
    verbose_name = "通知消息"
