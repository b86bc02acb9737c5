from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "yanxiu.ratings"
    verbose_name = "好差评"
