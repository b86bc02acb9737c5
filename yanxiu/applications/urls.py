from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("inbox/", views.inbox, name="inbox"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/edit/deadline/", views.deadline_banner, name="deadline_banner"),
    path("<int:pk>/checks/", views.checks, name="checks"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/reasons/", views.warning_reason, name="warning_reason"),
    path("<int:pk>/adjust/", views.adjust_after_fallback, name="adjust_after_fallback"),
    path("<int:pk>/attachments/", views.upload_attachment, name="upload_attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.download_attachment, name="download_attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/delete/", views.delete_attachment, name="delete_attachment"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
]
