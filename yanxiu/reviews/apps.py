from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "yanxiu.reviews"
    verbose_name = "专家评审"
