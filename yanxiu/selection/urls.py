from django.urls import path

from . import views

app_name = "selection"
urlpatterns = [
    path("", views.index, name="index"),
    path("extensions/", views.extensions, name="extensions"),
    path("<int:call_pk>/", views.pool, name="pool"),
    path("<int:call_pk>/stage/<int:pk>/", views.stage, name="stage"),
    path("<int:call_pk>/publish/", views.publish, name="publish"),
    path("<int:call_pk>/publicity/", views.publicity_page, name="publicity"),
    path("<int:call_pk>/publicity/start/", views.publicity_start, name="publicity_start"),
    path("<int:call_pk>/publicity/objections/", views.objection_record, name="objection_record"),
    path("<int:call_pk>/publicity/objections/<int:pk>/", views.objection_handle, name="objection_handle"),
    path("<int:call_pk>/ministry/", views.ministry, name="ministry"),
    path("<int:call_pk>/ministry/<int:pk>/", views.ministry_answer, name="ministry_answer"),
    path("<int:call_pk>/ministry/package.zip", views.ministry_package, name="ministry_package"),
    path("<int:call_pk>/ministry/import/", views.ministry_import, name="ministry_import"),
    path("<int:call_pk>/ministry/import/confirm/", views.ministry_import_confirm, name="ministry_import_confirm"),
    path("<int:call_pk>/plan/", views.annual_plan, name="plan"),
    path("<int:call_pk>/plan/issue/", views.plan_issue, name="plan_issue"),
    path("<int:call_pk>/plan.<str:fmt>", views.plan_download, name="plan_download"),
]
