from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yanxiu.accounts"
    verbose_name = "用户"
