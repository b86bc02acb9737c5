from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "yanxiu.api"
    verbose_name = "开放接口"

    def ready(self):
        from . import signals  # noqa: F401, PLC0415 - a logout ends its login's tokens, once the apps are loaded
