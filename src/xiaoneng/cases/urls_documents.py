"""The case's document downloads. No namespace of their own: the project's ``urls.py`` mounts
them with ``documents/urls.py`` under ``documents/`` in the namespace ``documents``, so their
names (``documents:case_receipt``, …) and addresses stay those of every document download."""

from django.urls import path

from xiaoneng.cases import views_documents as views

urlpatterns = [
    path("case/<int:pk>/receipt.<slug:fmt>", views.case_receipt, name="case_receipt"),
    path("signal/<int:pk>/reminder.<slug:fmt>", views.signal_reminder, name="signal_reminder"),
    path(
        "signal/<int:pk>/rectification.<slug:fmt>",
        views.signal_rectification,
        name="signal_rectification",
    ),
]
