from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("institutions/", views.institutions, name="institutions"),
    path("institutions/<int:pk>/invoice/", views.confirm_invoice, name="confirm_invoice"),
]
