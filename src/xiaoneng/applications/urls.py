"""The application pages keep the URL names they were born with: the office pages in the
``catalog`` namespace (under /office/catalog/) and the document downloads in the ``documents``
namespace (under /documents/). xiaoneng/urls.py mounts each list in its namespace."""

from django.urls import path

from xiaoneng.applications.views import documents, office

office_urlpatterns = [
    path("applications/new/<int:item_pk>/", office.application_new, name="application_new"),
    path("applications/<int:pk>/", office.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/<slug:action>/",
        office.application_action,
        name="application_action",
    ),
    path("filings/", office.filing_list, name="filing_list"),
    path("filings/<int:pk>/review/", office.filing_review, name="filing_review"),
]

document_urlpatterns = [
    path("notice/<int:pk>.<slug:fmt>", documents.notice, name="notice"),
    path("filing/<int:pk>/decision.<slug:fmt>", documents.denial_decision, name="denial_decision"),
]
