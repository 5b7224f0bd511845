"""Document downloads, PDF or DOCX: ``document_download`` numbers, renders and audits one
for the view of the app that owns the document (cases, supervision, …); and the downloads of
an application's documents. Each download is an audited event; the case is fetched through
``case_for_user``, so a person outside its scope gets 404."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from xiaoneng.accountability.filings import DenialFiling
from xiaoneng.cases.applications import OneTimeNotice
from xiaoneng.cases.models import Case
from xiaoneng.cases.permissions import case_for_user
from xiaoneng.documents import builders
from xiaoneng.documents.content import Kind, OfficialDocument
from xiaoneng.documents.services import FORMATS, RenderedDocument, document_render
from xiaoneng.office.permissions import case_view


def _respond(rendered: RenderedDocument) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=rendered.filename
    )
    response["Cache-Control"] = "private, no-store"
    return response


def document_download(
    request: HttpRequest,
    *,
    kind: str,
    obj: Model,
    build: Callable[..., OfficialDocument],
    fmt: str,
    case_number: str = "",
    unit_id: int | None = None,
) -> HttpResponse:
    """The file of the document ``build`` makes from ``obj``, numbered once and its download
    audited (``documents.services.document_render``); 404 for a format other than PDF or DOCX."""
    if fmt not in FORMATS:
        raise Http404
    return _respond(
        document_render(
            kind=kind,
            obj=obj,
            build=build,
            fmt=fmt,
            by=request.user,
            case_number=case_number,
            unit_id=unit_id,
        )
    )


def _render(request: HttpRequest, *, kind: str, obj, build, fmt: str, case: Case) -> HttpResponse:
    return document_download(
        request,
        kind=kind,
        obj=obj,
        build=build,
        fmt=fmt,
        case_number=case.number,
        unit_id=case.unit_id,
    )


@require_GET
@case_view
def notice(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    found = get_object_or_404(OneTimeNotice.objects.select_related("application"), pk=pk)
    case = case_for_user(request.user, found.application.case_id)
    return _render(
        request,
        kind=Kind.ONE_TIME_NOTICE,
        obj=found,
        build=builders.notice_document,
        fmt=fmt,
        case=case,
    )


@require_GET
@case_view
def denial_decision(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    filing = get_object_or_404(DenialFiling, pk=pk)
    case = case_for_user(request.user, filing.case_id)
    if filing.kind == DenialFiling.Kind.OVERDUE:
        raise Http404  # Filed for review; the applicant gets no refusal decision for it.
    kind = Kind.NOT_ACCEPTED if filing.kind == DenialFiling.Kind.NOT_ACCEPTED else Kind.NOT_APPROVED
    return _render(
        request, kind=kind, obj=filing, build=builders.denial_decision_document, fmt=fmt, case=case
    )
