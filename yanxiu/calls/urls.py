from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("<int:pk>/", views.call_edit, name="edit"),
    path("<int:pk>/copy/", views.call_copy, name="copy"),
    path("<int:pk>/open/", views.call_open, name="open"),
    path("<int:pk>/notice/", views.notice, name="notice"),
]
