from django.urls import path

from xiaoneng.evaluation.views import files, office, typical

app_name = "evaluation"

urlpatterns = [
    path("", office.round_list, name="rounds"),
    path("new/", office.round_new, name="round_new"),
    path("<int:pk>/", office.round_page, name="round"),
    path("<int:pk>/approve/", office.round_approve, name="round_approve"),
    path("<int:pk>/panels/<int:panel_pk>/invite/", office.panel_invite, name="panel_invite"),
    path("<int:pk>/units/<int:unit_pk>/", office.unit_results, name="unit_results"),
    path("<int:pk>/units/<int:unit_pk>/poster.<str:fmt>", files.poster, name="poster"),
    path("<int:pk>/report.<str:fmt>", files.round_report, name="report"),
    path("<int:pk>/<str:action>/", office.round_act, name="round_act"),
    path("questions/", office.question_bank, name="questions"),
    path("questionnaires/new/", office.questionnaire_new, name="questionnaire_new"),
    path("typical/", typical.typical_list, name="typical_list"),
    path("typical/new/", typical.typical_new, name="typical_new"),
    path("typical/<int:pk>/", typical.typical_page, name="typical"),
    path("typical/<int:pk>/<str:action>/", typical.typical_act, name="typical_act"),
]
