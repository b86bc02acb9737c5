from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "yanxiu.operations"
    verbose_name = "运行监控"
