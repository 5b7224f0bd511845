from django.urls import path

from xiaoneng.accountability import views, views_appeals, views_conduct

app_name = "accountability"

urlpatterns = [
    path("", views.violation_list_view, name="violations"),
    path("violations/<int:pk>/", views.violation_detail, name="violation"),
    path("violations/<int:pk>/review/", views.violation_review, name="violation_review"),
    path("violations/<int:pk>/evidence/", views.violation_evidence, name="violation_evidence"),
    path(
        "violations/<int:pk>/evidence/file/",
        views.violation_evidence_file,
        name="violation_evidence_file",
    ),
    path("violations/<int:pk>/sanction/", views.sanction_new, name="sanction_new"),
    path("sanctions/<int:pk>/", views.sanction_detail, name="sanction"),
    path(
        "sanctions/<int:pk>/document.<str:fmt>",
        views.sanction_document,
        name="sanction_document",
    ),
    path("record/", views.my_record, name="my_record"),
    path("people/<int:pk>/", views.person_record_view, name="person"),
    path("units/<int:pk>/", views.unit_record_view, name="unit"),
    path("appeals/", views_appeals.appeal_list, name="appeals"),
    path("appeals/<int:pk>/", views_appeals.appeal_detail, name="appeal"),
    path("appeals/<int:pk>/decide/", views_appeals.appeal_decide, name="appeal_decide"),
    path("appeals/new/<str:target>/<int:pk>/", views_appeals.appeal_new, name="appeal_new"),
    path("conduct/", views_conduct.conduct_list, name="conduct_list"),
    path("conduct/new/", views_conduct.conduct_intake, name="conduct_intake"),
    path("conduct/<int:pk>/", views_conduct.conduct_detail, name="conduct"),
    path("conduct/<int:pk>/accept/", views_conduct.conduct_accept, name="conduct_accept"),
    path("conduct/<int:pk>/extend/", views_conduct.conduct_extend, name="conduct_extend"),
    path("conduct/<int:pk>/finding/", views_conduct.conduct_find, name="conduct_find"),
    path("conduct/convert/<int:case_pk>/", views_conduct.conduct_convert, name="conduct_convert"),
]
