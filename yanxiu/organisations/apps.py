from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "yanxiu.organisations"
    verbose_name = "单位与主管部门"
