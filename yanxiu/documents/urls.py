from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("applications/<int:pk>/form.<str:fmt>", views.application_form, name="application_form"),
    path("summary/", views.summary, name="summary"),
    path("summary/summary.<str:fmt>", views.summary, name="summary_file"),
    path("batches/<int:pk>/summary.<str:fmt>", views.batch_summary_file, name="batch_summary_file"),
    path("exports/", views.export_start, name="export_start"),
    path("exports/batch/<int:batch_pk>/", views.export_batch, name="export_batch"),
    path("exports/<int:pk>/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("import/", views.upload, name="upload"),
]
