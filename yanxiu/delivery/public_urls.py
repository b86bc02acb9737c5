from django.urls import path

from . import public_views

app_name = "delivery_public"
urlpatterns = [
    path("programmes/", public_views.programme_list, name="list"),
    path("programmes/<int:pk>/", public_views.programme_page, name="programme"),
    path("programmes/thanks/", public_views.thanks, name="thanks"),
    path("survey/<str:token>/", public_views.survey_page, name="survey"),
    path("check-in/<int:pk>/<str:token>/", public_views.check_in, name="check_in"),
    path("verify/", public_views.verify_lookup, name="verify_lookup"),
    path("verify/<str:token>/", public_views.verify, name="verify"),
    path("verify/<str:token>/certificate.<str:fmt>", public_views.certificate_file, name="certificate_file"),
]
