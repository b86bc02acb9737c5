from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "yanxiu.identity"
    verbose_name = "统一身份认证"
