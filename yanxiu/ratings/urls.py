from django.urls import path

from . import views

app_name = "ratings"
urlpatterns = [
    path("", views.figures, name="figures"),
    path("mine/", views.mine, name="mine"),
    path("application/<int:pk>/", views.rate_application, name="rate_application"),
]
