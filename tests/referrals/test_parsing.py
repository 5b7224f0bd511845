"""Reading referral files: formats, encodings, headers, refusals (zip bomb, not a spreadsheet)."""

from __future__ import annotations

import os
import zipfile

import pytest
from django.utils import translation

from tests.referrals.files import ENGLISH_HEADER, HEADER, row, rows, write_csv, write_xlsx
from xiaoneng.referrals import parsing
from xiaoneng.referrals.parsing import FileRefused
from xiaoneng.referrals.services import referral_import_preview
from xiaoneng.web import spreadsheets

pytestmark = pytest.mark.django_db


def test_good_xlsx_preview_counts_and_masks(demo_org, tmp_path) -> None:
    path = write_xlsx(tmp_path / "good.xlsx", rows(5))
    preview = referral_import_preview(file=path)
    assert (preview.rows, preview.good, preview.error_rows) == (5, 5, 0)
    assert preview.to_import == 5
    first = preview.sample[0]
    assert first["row"] == 2
    assert first["external_number"] == "RX00001"
    assert first["phone"] == "138****5678"
    assert first["requester"] == "张*"
    assert first["category"] == "教育收费"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding(demo_org, tmp_path, encoding) -> None:
    path = write_csv(tmp_path / "r.csv", rows(3), encoding=encoding)
    preview = referral_import_preview(file=path)
    assert (preview.rows, preview.good, preview.error_rows) == (3, 3, 0)
    assert preview.sample[0]["category"] == "教育收费"
    with open(path, "rb") as handle:
        assert spreadsheets.detect_encoding(handle) == encoding


def test_english_headers_and_optional_kind(demo_org, tmp_path) -> None:
    data = [[*row("E1"), "inquiry"], [*row("E2"), "投诉"]]
    path = write_xlsx(tmp_path / "en.xlsx", data, header=[*ENGLISH_HEADER, "kind"])
    preview = referral_import_preview(file=path)
    assert [s["kind"] for s in preview.sample] == ["inquiry", "complaint"]


def test_excel_numbers_as_text(demo_org, tmp_path) -> None:
    path = write_xlsx(tmp_path / "n.xlsx", [row(202611280001, phone=13812345678)])
    preview = referral_import_preview(file=path)
    assert preview.sample[0]["external_number"] == "202611280001"
    assert preview.sample[0]["phone"] == "138****5678"


def test_missing_and_unknown_columns_are_named(demo_org, tmp_path) -> None:
    header = [h for h in HEADER if h != "诉求类别"] + ["备注"]
    path = write_xlsx(tmp_path / "cols.xlsx", [[*row("A1")[:6], "x"]], header=header)
    with translation.override("en"), pytest.raises(FileRefused) as caught:
        referral_import_preview(file=path)
    message = str(caught.value)
    assert "missing columns: 诉求类别 (Category)" in message
    assert "unknown columns: 备注" in message


def test_row_errors_name_row_and_column(demo_org, tmp_path) -> None:
    data = [
        row("B1"),
        row("B2", received="2026-13-45 10:00"),
        row("B3", deadline="next week"),
        row("B4", phone="call me"),
        row("B5", category="不存在的类别"),
        row("B1"),
        row("", content=""),
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", data)
    with translation.override("en"):
        preview = referral_import_preview(file=path)
    found = {(e.row, e.column) for e in preview.errors}
    assert found == {
        (3, "来电时间"),
        (4, "办理时限"),
        (5, "联系电话"),
        (6, "诉求类别"),
        (7, "工单编号"),
        (8, "工单编号"),
        (8, "诉求内容"),
    }
    duplicate = next(e for e in preview.errors if e.row == 7)
    assert "already in row 2" in duplicate.message
    assert (preview.rows, preview.good, preview.error_rows) == (7, 1, 6)
    # No personal data in the messages that end up in the stored report.
    assert not any("call me" in e.message for e in preview.errors)


def test_future_time_and_deadline_before_received(demo_org, tmp_path) -> None:
    from datetime import timedelta

    from tests.referrals.files import received

    data = [
        row("F1", received=received(-48)),
        row("F2", deadline=(received() - timedelta(days=3)).date()),
    ]
    path = write_csv(tmp_path / "f.csv", data)
    preview = referral_import_preview(file=path)
    assert {(e.row, e.column) for e in preview.errors} == {(2, "来电时间"), (3, "办理时限")}


def test_random_bytes_named_xlsx_is_not_a_spreadsheet(demo_org, tmp_path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(os.urandom(4096))
    with translation.override("en"), pytest.raises(FileRefused, match="not a spreadsheet"):
        referral_import_preview(file=path)


def test_binary_named_csv_is_refused(demo_org, tmp_path) -> None:
    path = tmp_path / "fake.csv"
    path.write_bytes(b"\x00\x01\x02" + os.urandom(2048))
    with pytest.raises(FileRefused):
        referral_import_preview(file=path)


def test_zip_that_is_not_a_workbook(demo_org, tmp_path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with translation.override("en"), pytest.raises(FileRefused, match="not an Excel workbook"):
        referral_import_preview(file=path)


def test_zip_bomb_is_refused_before_opening(demo_org, tmp_path, monkeypatch) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(64):
                member.write(block)
    assert path.stat().st_size < 1024 * 1024

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    with translation.override("en"), pytest.raises(FileRefused, match="zip bomb"):
        referral_import_preview(file=path)


def test_total_uncompressed_size_limit(demo_org, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(spreadsheets, "MAX_UNCOMPRESSED_BYTES", 10_000)
    path = write_xlsx(tmp_path / "big.xlsx", rows(200))
    with translation.override("en"), pytest.raises(FileRefused, match="unpack to more than"):
        referral_import_preview(file=path)


def test_old_xls_is_refused(demo_org, tmp_path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with translation.override("en"), pytest.raises(FileRefused, match=r"\.xls"):
        referral_import_preview(file=path)


def test_too_many_rows(demo_org, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(parsing, "MAX_ROWS", 10)
    path = write_csv(tmp_path / "many.csv", rows(11))
    with translation.override("en"), pytest.raises(FileRefused, match="more than 10 rows"):
        referral_import_preview(file=path)
    assert referral_import_preview(file=write_csv(tmp_path / "ok.csv", rows(10))).rows == 10


def test_empty_file(demo_org, tmp_path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(FileRefused):
        referral_import_preview(file=path)
