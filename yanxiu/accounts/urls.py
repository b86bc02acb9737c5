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
    # Each organisation administers its own staff (decision 0024)
    path("staff/", views.staff, name="staff"),
    path("staff/invite/", views.staff_invite, name="staff_invite"),
    path("staff/trail/", views.staff_trail, name="staff_trail"),
    path("staff/<int:pk>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("staff/<int:pk>/reactivate/", views.staff_reactivate, name="staff_reactivate"),
    path("staff/<int:pk>/resend/", views.staff_resend, name="staff_resend"),
    path("invitation/<str:token>/", public_views.invitation, name="invitation"),
    path("reset/", public_views.reset_request, name="reset_request"),
    path("reset/code/", public_views.reset_code, name="reset_code"),
    path("reset/<str:uidb64>/<str:token>/", public_views.reset_confirm, name="reset_confirm"),
]
