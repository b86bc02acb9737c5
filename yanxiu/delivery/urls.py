from django.urls import path

from . import views

app_name = "delivery"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("changes/", views.changes, name="changes"),
    path("changes/<int:change_pk>/decide/", views.decide_change, name="decide_change"),
    path("settings/<int:year>/", views.delivery_settings, name="settings"),
    path("register/<int:year>/", views.certificate_register, name="certificate_register"),
    path("register/<int:year>.xlsx", views.certificate_register_xlsx, name="certificate_register_xlsx"),
    path("standards/", views.cost_standards, name="cost_standards"),
    path("standards/<int:standard_pk>/", views.cost_standards, name="cost_standard"),
    path("budget/<int:application_pk>/", views.budget, name="budget"),
    path("<int:pk>/", views.programme_detail, name="programme"),
    path("<int:pk>/arrangements/", views.arrangements, name="arrangements"),
    path("<int:pk>/enrolment/", views.enrolment_notice, name="enrolment_notice"),
    path("<int:pk>/action/<str:name>/", views.action, name="action"),
    path("<int:pk>/trainees/", views.trainees, name="trainees"),
    path("<int:pk>/trainees/<int:trainee_pk>/id/", views.reveal_id, name="reveal_id"),
    path("<int:pk>/roster/template.xlsx", views.roster_template, name="roster_template"),
    path("<int:pk>/roster/import/", views.roster_import, name="roster_import"),
    path("<int:pk>/roster.xlsx", views.roster_export, name="roster_export"),
    path("<int:pk>/attendance/", views.attendance_view, name="attendance"),
    path("<int:pk>/check-in/", views.check_in_list, name="check_in_list"),
    path("<int:pk>/check-in/<int:check_in_pk>/", views.check_in_page, name="check_in"),
    path("<int:pk>/check-in/<int:check_in_pk>/live/", views.check_in_live, name="check_in_live"),
    path("<int:pk>/sign-in.<str:fmt>", views.sign_in_sheets, name="sign_in"),
    path("<int:pk>/accounts/", views.final_accounts, name="accounts"),
    path("<int:pk>/closing/", views.closing_view, name="closing"),
    path("<int:pk>/files/<int:file_pk>/", views.programme_file, name="file"),
    path("<int:pk>/survey/", views.survey_view, name="survey"),
    path("<int:pk>/certificates/", views.certificates_view, name="certificates"),
    path("<int:pk>/certificates/jobs/<int:job_pk>/", views.certificate_job, name="certificate_job"),
    path("<int:pk>/credit-hours.xlsx", views.credit_hours_export, name="credit_hours"),
    path("<int:pk>/access-log/", views.access_log, name="access_log"),
]
