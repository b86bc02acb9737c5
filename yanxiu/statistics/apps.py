from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "yanxiu.statistics"
    verbose_name = "统计分析"
