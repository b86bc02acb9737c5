from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "yanxiu.audit"
    verbose_name = "操作记录"
