from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "yanxiu.calls"
    verbose_name = "年度申报通知"
