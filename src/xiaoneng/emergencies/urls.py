from django.urls import path

from xiaoneng.emergencies import views, views_links

app_name = "emergencies"

urlpatterns = [
    path("", views.board_page, name="board"),
    path("new/", views.incident_new, name="incident_new"),
    path("<int:pk>/", views.incident_page, name="incident"),
    path("<int:pk>/report/", views.report_new, name="report_new"),
    path("<int:pk>/end/", views.end_response, name="end_response"),
    path("<int:pk>/regrade/", views.regrade, name="regrade"),
    path("alerts/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("outbound/<int:pk>/record/", views_links.outbound_record, name="outbound_record"),
    path("from-case/<int:case_pk>/", views_links.incident_from_case, name="from_case"),
]

# Duty rosters, plans, drills and requirements.
from xiaoneng.emergencies.urls_safety import urlpatterns as safety_urlpatterns  # noqa: E402

urlpatterns += safety_urlpatterns
