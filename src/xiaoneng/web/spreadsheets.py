"""Opening an uploaded spreadsheet safely (the 12345 referral files, the yearly target list):
type from the first bytes, zip-bomb checks, streamed rows.

An .xlsx is checked from its zip central directory before openpyxl opens it, then read in
read-only mode one row at a time; a .csv is decoded (UTF-8 with or without BOM, or GB18030)
line by line. Nothing is ever loaded whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from xiaoneng.errors import DomainError, lazy_format

MAX_ZIP_MEMBERS = 500
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
# Real worksheets compress 5–60×; a member above this ratio (and above 1 MB) is a bomb.
MAX_COMPRESSION_RATIO = 150
RATIO_CHECK_ABOVE_BYTES = 1024 * 1024
SNIFF_BYTES = 64 * 1024


class FileRefused(DomainError):
    """The file as a whole cannot be imported; nothing was read into the database."""

    def __init__(self, message: Any) -> None:
        super().__init__(message, code="file_refused")


# -- opening and sniffing ------------------------------------------------------------------


def _refuse_not_spreadsheet() -> FileRefused:
    return FileRefused(
        _("This file is not a spreadsheet. Please upload an Excel workbook (.xlsx) or a CSV file.")
    )


def sniff(handle: IO[bytes], name: str) -> str:
    """'xlsx' or 'csv', from the first bytes (never from the name alone)."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            _("The old Excel format (.xls) is not supported. Save the file as .xlsx and retry.")
        )
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise _refuse_not_spreadsheet()
    return "csv"


def check_zip(handle: IO[bytes]) -> None:
    """Refuse a zip that is not a workbook or that would inflate beyond the limits.

    Only the central directory is read. The declared sizes can be trusted as upper bounds:
    zipfile stops a member at its declared size when reading, so a member cannot inflate past it.
    """
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse_not_spreadsheet() from None
    finally:
        handle.seek(0)
    if len(members) > MAX_ZIP_MEMBERS:
        raise FileRefused(_("The workbook has too many parts to be a referral spreadsheet."))
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileRefused(_("This zip file is not an Excel workbook (.xlsx)."))
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECK_ABOVE_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise FileRefused(
                _("The workbook is compressed suspiciously far (a zip bomb?); it was not opened.")
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise FileRefused(
            lazy_format(
                _("The workbook would unpack to more than %(mb)d MB; it was not opened."),
                {"mb": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)},
            )
        )


def xlsx_rows(handle: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    """The first worksheet's rows, numbered from 1, once the zip passed ``check_zip``."""
    # Here, not at the top: openpyxl is loaded only by a process that reads a workbook.
    from openpyxl import load_workbook

    check_zip(handle)
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception:
        raise FileRefused(_("The workbook could not be read; it may be damaged.")) from None
    try:
        if not book.worksheets:
            raise FileRefused(_("The workbook has no worksheet."))
        sheet = book.worksheets[0]
        # Some exporters write a wrong <dimension>; read what is really there.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        book.close()


def detect_encoding(handle: IO[bytes]) -> str:
    handle.seek(0)
    chunk = handle.read(SNIFF_BYTES)
    handle.seek(0)
    if chunk.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if b"\x00" in chunk:
        raise _refuse_not_spreadsheet()
    for encoding in ("utf-8", "gb18030"):
        try:
            # Not final: the chunk may end in the middle of a character.
            codecs.getincrementaldecoder(encoding)().decode(chunk, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FileRefused(
        _("The CSV file is neither UTF-8 nor GB18030 text. Save it as CSV (UTF-8) and retry.")
    )


def _csv_rows(handle: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    encoding = detect_encoding(handle)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    try:
        number = 0
        try:
            for number, values in enumerate(csv.reader(text), start=1):
                if any("\x00" in value for value in values):
                    raise _refuse_not_spreadsheet()
                yield number, values
        except UnicodeDecodeError:
            raise FileRefused(
                lazy_format(
                    _("The CSV file is not valid %(encoding)s text after row %(row)d."),
                    {"encoding": encoding.upper(), "row": number},
                )
            ) from None
        except csv.Error as exc:
            raise FileRefused(
                lazy_format(
                    _("The CSV file cannot be read after row %(row)d: %(error)s"),
                    {"row": number, "error": str(exc)},
                )
            ) from None
    finally:
        if not handle.closed:
            text.detach()  # the caller owns the binary handle


def raw_rows(handle: IO[bytes], name: str) -> Iterator[tuple[int, list[Any]]]:
    if sniff(handle, name) == "xlsx":
        return xlsx_rows(handle)
    return _csv_rows(handle)
