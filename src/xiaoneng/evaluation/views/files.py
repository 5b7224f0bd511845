"""The round report (DOCX, PDF, Excel) and a unit's QR poster (PNG, PDF)."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoneng.audit.services import log_action
from xiaoneng.evaluation.models import Round, RoundUnit
from xiaoneng.evaluation.report import (
    REPORT_HEADER,
    poster_pdf,
    poster_png,
    report_file,
    report_rows,
)
from xiaoneng.evaluation.selectors import RESULT_STATES
from xiaoneng.security.export_views import export_with_reason
from xiaoneng.web.excel import xlsx_response
from xiaoneng.web.files import file_download
from xiaoneng.web.permissions import role_required

BOARD = ("efficiency_office", "leader")
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _with_results(pk: int) -> Round:
    return get_object_or_404(Round, pk=pk, state__in=RESULT_STATES)


@role_required(*BOARD)
def round_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    round_ = _with_results(pk)
    if fmt == "xlsx":
        return export_with_reason(
            request,
            kind="evaluation.report",
            roles=BOARD,
            title=_("Export the round's results to Excel"),
            back="evaluation:rounds",
            produce=lambda reason: xlsx_response(
                request,
                kind="evaluation.report",
                reason=reason,
                sheet_title=_("Results"),
                header=[str(h) for h in REPORT_HEADER],
                rows=report_rows(round_),
                filename=f"evaluation-{round_.pk}.xlsx",
                filters={"round": round_.pk},
            ),
        )
    if fmt not in DOCUMENT_TYPES:
        raise Http404
    with transaction.atomic():
        log_action(
            action="evaluation.report_download",
            obj=round_,
            actor=request.user,
            summary={"format": fmt},
        )
    return file_download(
        report_file(round_, fmt),
        filename=f"evaluation-{round_.pk}.{fmt}",
        content_type=DOCUMENT_TYPES[fmt],
    )


@role_required("efficiency_office")
def poster(request: HttpRequest, pk: int, unit_pk: int, fmt: str) -> HttpResponse:
    """The QR code of a unit's public questionnaire, for its notice board."""
    round_unit = get_object_or_404(
        RoundUnit.objects.select_related("round"), pk=unit_pk, round_id=pk
    )
    if not round_unit.round.public_open:
        raise Http404
    link = request.build_absolute_uri(reverse("evaluation_public:unit", args=[round_unit.pk]))
    if fmt == "png":
        return file_download(
            poster_png(link), filename=f"poster-{round_unit.pk}.png", content_type="image/png"
        )
    if fmt == "pdf":
        return file_download(
            poster_pdf(round_unit, link),
            filename=f"poster-{round_unit.pk}.pdf",
            content_type="application/pdf",
        )
    raise Http404
