"""web.spreadsheets: type from the first bytes, zip-bomb checks before opening, rows streamed."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from xiaoneng.web.spreadsheets import FileRefused, check_zip, raw_rows, sniff, xlsx_rows


def _workbook(*rows: list[object]) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    handle = io.BytesIO()
    book.save(handle)
    handle.seek(0)
    return handle


def test_rows_of_a_workbook_and_of_a_csv() -> None:
    assert list(xlsx_rows(_workbook(["a", 1], ["b", 2]))) == [(1, ["a", 1]), (2, ["b", 2])]
    csv = io.BytesIO("名称,数量\n甲,1\n".encode("gb18030"))
    assert sniff(csv, "x.csv") == "csv"
    assert list(raw_rows(csv, "x.csv")) == [(1, ["名称", "数量"]), (2, ["甲", "1"])]


def test_a_zip_that_is_no_workbook_or_a_bomb_is_refused() -> None:
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with translation.override("en"), pytest.raises(FileRefused, match="not an Excel workbook"):
        check_zip(plain)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    with translation.override("en"), pytest.raises(FileRefused, match="zip bomb"):
        check_zip(bomb)
    with translation.override("en"), pytest.raises(FileRefused, match=r"\.xls"):
        sniff(io.BytesIO(b"\xd0\xcf\x11\xe0" + b"\0" * 16), "old.xls")
