from django.urls import path

from . import public_views

app_name = "selection_public"
urlpatterns = [path("", public_views.publicity, name="publicity")]
