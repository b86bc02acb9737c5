from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "yanxiu.selection"
    verbose_name = "遴选与年度计划"
