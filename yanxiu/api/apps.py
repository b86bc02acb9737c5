from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "yanxiu.api"
    verbose_name = "开放接口"
