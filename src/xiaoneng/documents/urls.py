from django.urls import path

from xiaoneng.documents import views

app_name = "documents"

# The documents of an application (notice, refusal decision) are served in this namespace
# by the applications app (see xiaoneng/urls.py).

urlpatterns = [
    path("case/<int:pk>/receipt.<slug:fmt>", views.case_receipt, name="case_receipt"),
    path("signal/<int:pk>/reminder.<slug:fmt>", views.signal_reminder, name="signal_reminder"),
    path(
        "signal/<int:pk>/rectification.<slug:fmt>",
        views.signal_rectification,
        name="signal_rectification",
    ),
]
