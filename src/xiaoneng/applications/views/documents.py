"""Downloads of an application's documents, PDF or DOCX: the one-time notices and the refusal
decisions. Served in the ``documents`` URL namespace, audited like every document download; the
case is fetched through ``case_for_user``, so a person outside its scope gets 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from xiaoneng.accountability.models import DenialFiling
from xiaoneng.applications import documents
from xiaoneng.applications.models import OneTimeNotice
from xiaoneng.cases.permissions import case_for_user
from xiaoneng.documents.content import Kind
from xiaoneng.documents.views import document_download
from xiaoneng.web.permissions import case_view


@require_GET
@case_view
def notice(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    found = get_object_or_404(OneTimeNotice.objects.select_related("application"), pk=pk)
    case = case_for_user(request.user, found.application.case_id)
    return document_download(
        request,
        kind=Kind.ONE_TIME_NOTICE,
        obj=found,
        build=documents.notice_document,
        fmt=fmt,
        case_number=case.number,
        unit_id=case.unit_id,
    )


@require_GET
@case_view
def denial_decision(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    filing = get_object_or_404(DenialFiling, pk=pk)
    case = case_for_user(request.user, filing.case_id)
    if filing.kind == DenialFiling.Kind.OVERDUE:
        raise Http404  # Filed for review; the applicant gets no refusal decision for it.
    kind = Kind.NOT_ACCEPTED if filing.kind == DenialFiling.Kind.NOT_ACCEPTED else Kind.NOT_APPROVED
    return document_download(
        request,
        kind=kind,
        obj=filing,
        build=documents.denial_decision_document,
        fmt=fmt,
        case_number=case.number,
        unit_id=case.unit_id,
    )
