"""Downloads of a case's documents (receipt, reminder and rectification notices), PDF or DOCX.
Each download is an audited event; the case is fetched through ``case_for_user``, so a person
outside its scope gets 404. Mounted in the ``documents`` namespace (see ``cases/urls.py``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from xiaoneng.cases import documents
from xiaoneng.cases.models import Case, Signal
from xiaoneng.cases.permissions import case_for_user
from xiaoneng.documents.content import Kind
from xiaoneng.documents.views import document_download
from xiaoneng.web.permissions import case_view


@require_GET
@case_view
def case_receipt(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    case = case_for_user(request.user, pk)
    return document_download(
        request,
        kind=Kind.RECEIPT,
        obj=case,
        build=documents.receipt_document,
        fmt=fmt,
        case_number=case.number,
        unit_id=case.unit_id,
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
        build=documents.reminder_document,
        fmt=fmt,
        case_number=case.number,
        unit_id=case.unit_id,
    )


@require_GET
@case_view
def signal_rectification(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    signal, case = _signal(request, pk, Signal.Level.RED)
    return document_download(
        request,
        kind=Kind.RECTIFICATION,
        obj=signal,
        build=documents.rectification_document,
        fmt=fmt,
        case_number=case.number,
        unit_id=case.unit_id,
    )
