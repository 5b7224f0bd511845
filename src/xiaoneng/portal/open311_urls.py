from django.urls import re_path

from xiaoneng.portal import open311_views as views

app_name = "open311"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(
        r"^services/(?P<service_code>[-\w]+)" + FMT,
        views.service_definition,
        name="service_definition",
    ),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(
        r"^requests/(?P<service_request_id>[-\w]+)" + FMT, views.request_detail, name="request"
    ),
    re_path(r"^tokens/(?P<token>[A-Za-z0-9]+)" + FMT, views.token, name="token"),
]
