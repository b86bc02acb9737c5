from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yanxiu.accounts"
    verbose_name = "用户"

    def ready(self):
        from . import signals  # noqa: F401, PLC0415 - connects the audit receivers once the apps are loaded
