from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "yanxiu.reference"
    verbose_name = "参考数据"
