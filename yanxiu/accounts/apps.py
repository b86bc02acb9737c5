from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yanxiu.accounts"
    verbose_name = "用户"

    def ready(self):
        from . import rules, signals  # noqa: F401, PLC0415 - the audit receivers and named permissions, once the apps are loaded
