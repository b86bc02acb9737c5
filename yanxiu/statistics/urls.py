from django.urls import path

from . import views

app_name = "statistics"

urlpatterns = [
    path("", views.index, name="index"),
    path("data.json", views.data, name="data"),
    path("<slug:key>.xlsx", views.export, name="export"),
]
