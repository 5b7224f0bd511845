"""Excel exports: the watermark on every workbook, the audited row and the download.

An office list exported to Excel goes the same way everywhere: the reason is asked and checked
first (``security.export_views.export_with_reason``, which also applies the hourly limit), then
the workbook is built with the exporter and the time in every sheet (``workbook_watermark``),
the export is audited with its reason and row count (``export_record``, whose rows the hourly
limit counts) and the file is sent. ``xlsx_response`` does all of that for a one-sheet list;
``xlsx_download`` sends and audits a workbook built (and watermarked) by the caller.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext

from xiaoneng.audit.models import AuditEntry
from xiaoneng.audit.services import log_action
from xiaoneng.web.files import file_download

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_ACTION_SUFFIX = ".export"


def watermark_text(*, user: User, at: datetime) -> str:
    moment = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
    return gettext("Exported by %(user)s (%(username)s) at %(time)s. Internal use only.") % {
        "user": str(user),
        "username": user.get_username(),
        "time": moment,
    }


def workbook_watermark(workbook: Any, *, user: User, at: datetime) -> str:
    """Put the exporter and time in every sheet's header and footer and a first-row note.

    For a write-only workbook call it before appending rows; in any other workbook the note is
    inserted above what is there. Either way it is row 1.
    Returns the text used.
    """
    text = watermark_text(user=user, at=at)
    for sheet in workbook.worksheets:
        for part in (sheet.oddHeader, sheet.evenHeader):
            part.center.text = text
        for part in (sheet.oddFooter, sheet.evenFooter):
            part.center.text = text
        if workbook.write_only:
            sheet.append([text])
        else:
            sheet.insert_rows(1)
            sheet.cell(row=1, column=1, value=text)
    return text


def export_record(
    *, user: User, kind: str, reason: str, rows: int, filters: dict[str, Any] | None = None
) -> AuditEntry:
    """Audit one export (call inside a transaction): who, which list, why, how many rows."""
    return log_action(
        action=f"{kind}{EXPORT_ACTION_SUFFIX}",
        actor=user,
        summary={"kind": kind, "reason": reason, "rows": rows, "filters": filters or {}},
    )


def workbook_file(book: Any) -> IO[bytes]:
    """The saved workbook in a temporary file, at its start (the response closes it)."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    book.save(handle)
    handle.seek(0)
    return handle


def xlsx_download(
    request: HttpRequest,
    *,
    content: bytes | IO[bytes],
    kind: str,
    reason: str,
    rows: int,
    filters: dict[str, Any],
    filename: str,
) -> HttpResponse:
    """Audit the export of a finished (watermarked) workbook and send it."""
    with transaction.atomic():
        export_record(
            user=request.user,  # type: ignore[arg-type]  # signed in
            kind=kind,
            reason=reason,
            rows=rows,
            filters=filters,
        )
    return file_download(content, filename=filename, content_type=XLSX)


def xlsx_response(
    request: HttpRequest,
    *,
    kind: str,
    reason: str,
    sheet_title: str,
    header: list[Any],
    rows: Iterable[list[Any]],
    filename: str,
    filters: dict[str, Any],
) -> HttpResponse:
    """A one-sheet list as a watermarked, audited Excel download: the watermark in row 1, the
    header in row 2, then ``rows`` (streamed into a write-only workbook, counted for the audit
    row)."""
    # Here, not at the top: openpyxl is loaded only by a process that exports.
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    workbook_watermark(book, user=request.user, at=timezone.now())  # type: ignore[arg-type]
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    return xlsx_download(
        request,
        content=workbook_file(book),
        kind=kind,
        reason=reason,
        rows=count,
        filters=filters,
        filename=filename,
    )
