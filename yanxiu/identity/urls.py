from django.urls import path

from . import views

app_name = "identity"
urlpatterns = [
    path("bindings/", views.binding_list, name="bindings"),
    path("bindings/<int:pk>/confirm/", views.decide, {"decision": "confirm"}, name="confirm"),
    path("bindings/<int:pk>/reject/", views.decide, {"decision": "reject"}, name="reject"),
    path("<slug:provider>/login/", views.start, name="start"),
    path("<slug:provider>/callback/", views.callback, name="callback"),
]
