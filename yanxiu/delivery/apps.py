from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "yanxiu.delivery"
    verbose_name = "项目实施与结业"
