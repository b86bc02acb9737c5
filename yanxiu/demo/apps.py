from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for trying the system and for tests: the top layer, it may use every app."""

    name = "yanxiu.demo"
    verbose_name = "演示数据"
