"""The incident report documents' downloads. No namespace of their own: the project's
``urls.py`` mounts them under ``documents/`` in the namespace ``documents`` with every other
document download (``documents:report_document``)."""

from django.urls import path

from xiaoneng.emergencies import views_documents as views

urlpatterns = [
    path(
        "incident-report/<int:pk>/report.<slug:fmt>",
        views.report_download,
        name="report_document",
    ),
]
