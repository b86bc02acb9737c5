from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    # Experts
    path("mine/", views.mine, name="mine"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/conflict/", views.declare_conflict, name="declare_conflict"),
    # Province office
    path("", views.rounds, name="rounds"),
    path("new/", views.round_create, name="round_create"),
    path("experts/", views.experts, name="experts"),
    path("experts/new/", views.expert_create, name="expert_create"),
    path("experts/export.xlsx", views.experts_export, name="experts_export"),
    path("experts/import/", views.experts_import, name="experts_import"),
    path("experts/import/confirm/", views.experts_import_confirm, name="experts_import_confirm"),
    path("experts/<int:pk>/", views.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/contacts/", views.expert_contacts, name="expert_contacts"),
    path("avoidance/", views.avoidance_requests, name="avoidance_requests"),
    path("avoidance/<int:pk>/match/", views.avoidance_match, name="avoidance_match"),
    # Institutions (the applicant): experts to avoid for their own application
    path("applications/<int:application_pk>/avoidance/", views.applicant_avoidance, name="applicant_avoidance"),
    path("experts/<int:pk>/reset-password/", views.expert_reset_password, name="expert_reset_password"),
    path("experts/<int:pk>/invite/", views.expert_invite, name="expert_invite"),
    path("<int:pk>/", views.round_settings, name="round_settings"),
    path("<int:pk>/criteria/", views.round_criteria, name="round_criteria"),
    path("<int:pk>/assignments/", views.round_assignments, name="round_assignments"),
    path("<int:pk>/auto-assign/", views.auto_assign, name="auto_assign"),
    path("<int:pk>/auto-assign/<int:job_pk>/", views.assignment_job, name="assignment_job"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/assignments/<int:assignment_pk>/remove/", views.unassign, name="unassign"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
]
