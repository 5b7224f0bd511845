"""web.excel: the watermark, the audited export row and the one-sheet download."""

from __future__ import annotations

import io

import pytest
from django.test import RequestFactory
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from xiaoneng.audit.models import AuditEntry
from xiaoneng.web.excel import XLSX, workbook_watermark, xlsx_download, xlsx_response

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().post("/export")
    request.user = user
    return request


def test_workbook_watermark_names_exporter_and_time(users):
    book = Workbook()
    at = timezone.now()
    text = workbook_watermark(book, user=users["leader"], at=at)
    assert "leader" in text
    assert timezone.localtime(at).strftime("%Y-%m-%d %H:%M") in text
    assert book.active["A1"].value == text
    assert book.active.oddHeader.center.text == text


def test_xlsx_response_watermarks_counts_and_audits(users):
    rows = ([number, f"row {number}"] for number in range(3))
    response = xlsx_response(
        _request(users["leader"]),
        kind="demo",
        reason="对账",
        sheet_title="清单",
        header=["No.", "Text"],
        rows=rows,
        filename="demo.xlsx",
        filters={"year": 2026},
    )
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="demo.xlsx"'
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["清单"]
    values = list(sheet.values)
    assert "leader" in values[0][0]
    assert "leader" in sheet.oddFooter.center.text
    assert values[1] == ("No.", "Text")
    assert values[2:] == [(0, "row 0"), (1, "row 1"), (2, "row 2")]
    entry = AuditEntry.objects.get(action="demo.export")
    assert entry.actor == users["leader"]
    assert entry.summary == {
        "kind": "demo",
        "reason": "对账",
        "rows": 3,
        "filters": {"year": 2026},
    }


def test_xlsx_download_sends_bytes_and_audits(users):
    response = xlsx_download(
        _request(users["leader"]),
        content=b"PK-not-really",
        kind="demo",
        reason="r",
        rows=7,
        filters={},
        filename="d.xlsx",
    )
    assert response.content == b"PK-not-really"
    assert response["Content-Disposition"] == 'attachment; filename="d.xlsx"'
    assert AuditEntry.objects.get(action="demo.export").summary["rows"] == 7
