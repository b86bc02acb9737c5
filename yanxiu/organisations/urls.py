from django.urls import path

from . import public_views, views

app_name = "organisations"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("institutions/", views.institutions, name="institutions"),
    path("institutions/<int:pk>/invoice/", views.confirm_invoice, name="confirm_invoice"),
    path("register/", public_views.register, name="register"),
    path("register/done/", public_views.registered, name="registered"),
    path("register/again/", views.resubmit_registration, name="resubmit_registration"),
    path("registrations/", views.registrations, name="registrations"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration"),
    path("registrations/<int:pk>/letter/", views.registration_letter, name="registration_letter"),
    path("registrations/<int:pk>/decide/", views.decide_registration, name="decide_registration"),
]
