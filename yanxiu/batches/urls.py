from django.urls import path

from . import views

app_name = "batches"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("new/", views.create, name="create"),
    path("ranking/<int:call_pk>/<str:tier>/", views.ranking, name="ranking"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/members/", views.members, name="members"),
    path("<int:pk>/scans/", views.upload, name="upload"),
    path("<int:pk>/scans/<int:scan_pk>/", views.download_scan, name="download_scan"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
]
