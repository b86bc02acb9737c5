from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "yanxiu.applications"
    verbose_name = "项目申报"
