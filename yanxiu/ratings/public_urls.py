from django.urls import path

from . import public_views

app_name = "ratings_public"
urlpatterns = [
    path("certificate/<str:token>/", public_views.rate_certificate, name="certificate"),
]
