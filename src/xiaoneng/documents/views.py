"""Downloads of a case's documents, PDF or DOCX. Each download is an audited event; the case
is fetched through ``case_for_user``, so a person outside its scope gets 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from xiaoneng.cases.models import Case, Signal
from xiaoneng.cases.permissions import case_for_user
from xiaoneng.documents import builders
from xiaoneng.documents.content import Kind
from xiaoneng.documents.services import FORMATS, RenderedDocument, document_render
from xiaoneng.web.permissions import case_view


def _respond(rendered: RenderedDocument) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=rendered.filename
    )
    response["Cache-Control"] = "private, no-store"
    return response


def document_download(
    request: HttpRequest, *, kind: str, obj, build, fmt: str, case: Case
) -> HttpResponse:
    """The download of the ``kind`` document about ``obj`` (of ``case``), numbered and audited."""
    if fmt not in FORMATS:
        raise Http404
    return _respond(
        document_render(
            kind=kind,
            obj=obj,
            build=build,
            fmt=fmt,
            by=request.user,
            case_number=case.number,
            unit_id=case.unit_id,
        )
    )


@require_GET
@case_view
def case_receipt(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    case = case_for_user(request.user, pk)
    return document_download(
        request, kind=Kind.RECEIPT, obj=case, build=builders.receipt_document, fmt=fmt, case=case
    )


def _signal(request: HttpRequest, pk: int, level: str) -> tuple[Signal, Case]:
    signal = get_object_or_404(
        Signal.objects.select_related("clock"), pk=pk, level=level, case__isnull=False
    )
    return signal, case_for_user(request.user, signal.case_id)


@require_GET
@case_view
def signal_reminder(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    signal, case = _signal(request, pk, Signal.Level.YELLOW)
    return document_download(
        request,
        kind=Kind.REMINDER,
        obj=signal,
        build=builders.reminder_document,
        fmt=fmt,
        case=case,
    )


@require_GET
@case_view
def signal_rectification(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    signal, case = _signal(request, pk, Signal.Level.RED)
    return document_download(
        request,
        kind=Kind.RECTIFICATION,
        obj=signal,
        build=builders.rectification_document,
        fmt=fmt,
        case=case,
    )
