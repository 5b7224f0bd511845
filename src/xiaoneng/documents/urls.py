from django.urls import path

from xiaoneng.documents import views

app_name = "documents"

urlpatterns = [
    path("case/<int:pk>/receipt.<slug:fmt>", views.case_receipt, name="case_receipt"),
    path("notice/<int:pk>.<slug:fmt>", views.notice, name="notice"),
    path("filing/<int:pk>/decision.<slug:fmt>", views.denial_decision, name="denial_decision"),
    path("signal/<int:pk>/reminder.<slug:fmt>", views.signal_reminder, name="signal_reminder"),
    path(
        "signal/<int:pk>/rectification.<slug:fmt>",
        views.signal_rectification,
        name="signal_rectification",
    ),
]
