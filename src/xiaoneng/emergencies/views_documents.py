"""Downloads of the incident report documents (初报/续报/终报), PDF or DOCX. The report's
incident is fetched through ``incident_for_user``: anyone who may not see it gets 404, the three
administrators included. Mounted in the ``documents`` namespace (``urls_documents.py``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from xiaoneng.documents.views import document_download
from xiaoneng.emergencies.documents import KINDS, report_document
from xiaoneng.emergencies.models import IncidentReport, ReportKind
from xiaoneng.emergencies.selectors import incident_for_user
from xiaoneng.web.permissions import CASE_ROLES, role_required


@require_GET
@role_required(*CASE_ROLES)
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = IncidentReport.objects.select_related("sent_by", "corrects").filter(pk=pk).first()
    if report is None:
        raise Http404
    incident = incident_for_user(request.user, report.incident_id)
    report.incident = incident
    return document_download(
        request,
        kind=KINDS[ReportKind(report.kind)],
        obj=report,
        build=report_document,
        fmt=fmt,
        unit_id=incident.unit_id,
    )
