"""Shared by the campaign views: a watermarked, audited Excel download."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import FileResponse, HttpRequest
from django.utils import timezone

from xiaoneng.security.exports import export_record, workbook_watermark

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
) -> FileResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    workbook_watermark(book, user=request.user, at=timezone.now())
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    book.save(handle)
    handle.seek(0)
    with transaction.atomic():
        export_record(user=request.user, kind=kind, reason=reason, rows=count, filters=filters)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
