from django.urls import path

from . import public_views, views

app_name = "accounts"
urlpatterns = [
    path("password/", views.password_change, name="password_change"),
    path("keepalive/", views.keepalive, name="keepalive"),
    path("duties/", views.duties, name="duties"),
    path("otp/", views.otp_status, name="otp_status"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("otp/recovery-codes/", views.otp_recovery_codes, name="otp_recovery_codes"),
    path("reset/", public_views.reset_request, name="reset_request"),
    path("reset/code/", public_views.reset_code, name="reset_code"),
    path("reset/<str:uidb64>/<str:token>/", public_views.reset_confirm, name="reset_confirm"),
]
