from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yanxiu.core"
    verbose_name = "基础"
