"""The SMS providers' callback address, outside the office:
``/sms/callbacks/<provider>/<token>/``."""

from django.urls import path

from xiaoneng.emergencies import views_sms

app_name = "sms"

urlpatterns = [
    path("callbacks/<slug:provider>/<str:token>/", views_sms.sms_callback, name="callback"),
]
