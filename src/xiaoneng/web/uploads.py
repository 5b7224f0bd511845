"""Upload checks: size and type by content, never by the name alone.

The same rules for every file a person hands in (a case attachment, feedback on a supervision
order, a target's evidence, a campaign submission): not empty, at most 10 MB, and a PDF, PNG,
JPEG, DOCX or XLSX as its first bytes prove.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from xiaoneng.errors import DomainError, lazy_format

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_NAME = 200

# Content type by magic number. Office files are ZIP containers and are told apart by the part
# that names their main document, so a renamed archive is not accepted as a document.
_OFFICE_PARTS = {
    "word/document.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class CheckedFile:
    """An upload whose content was checked, with the type and extension its bytes show."""

    upload: UploadedFile
    content_type: str
    extension: str
    name: str


_PDF = "application/pdf"
_PNG = "image/png"
_JPEG = "image/jpeg"
_WEBP = "image/webp"
_EXTENSIONS = {
    _PDF: "pdf",
    _PNG: "png",
    _JPEG: "jpg",
    _WEBP: "webp",
    _OFFICE_PARTS["word/document.xml"]: "docx",
    _OFFICE_PARTS["xl/workbook.xml"]: "xlsx",
}
# What staff may hand in; the public portal accepts pictures and PDFs only (portal/attachments.py).
STAFF_CONTENT_TYPES = frozenset({_PDF, _PNG, _JPEG, *_OFFICE_PARTS.values()})
PICTURE_OR_PDF = frozenset({_PDF, _PNG, _JPEG, _WEBP})


def sniff_file_kind(file: Any) -> tuple[str, str] | None:
    """(content type, extension) that the bytes prove: PDF, PNG, JPEG, WebP, DOCX or XLSX."""
    file.seek(0)
    head = file.read(12)
    file.seek(0)
    content_type: str | None = None
    if head.startswith(b"%PDF"):
        content_type = _PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        content_type = _PNG
    elif head.startswith(b"\xff\xd8\xff"):
        content_type = _JPEG
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        content_type = _WEBP
    elif head.startswith(b"PK\x03\x04"):
        content_type = _office_type(file)
    return (content_type, _EXTENSIONS[content_type]) if content_type else None


def _office_type(file: Any) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        file.seek(0)
    for part, content_type in _OFFICE_PARTS.items():
        if part in names:
            return content_type
    return None


def sniff_content_type(file: Any) -> str | None:
    """The content type the bytes prove among what staff may hand in (PDF, PNG, JPEG, DOCX,
    XLSX), else None."""
    kind = sniff_file_kind(file)
    return kind[0] if kind and kind[0] in STAFF_CONTENT_TYPES else None


def safe_file_name(name: str, *, limit: int = 100) -> str:
    """The last path part of an uploaded name without control or reserved characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return name.strip()[:limit] or "file"


def check_upload(file: UploadedFile) -> tuple[str, str, int]:
    """Not empty, at most 10 MB, and a PDF, PNG, JPEG, DOCX or XLSX by its content (never by
    its name). Returns (name, content type, size)."""
    size = file.size or 0
    name = (file.name or "attachment")[-MAX_NAME:]
    if size == 0:
        raise DomainError(lazy_format(_("The file %(name)s is empty."), {"name": name}))
    if size > MAX_ATTACHMENT_BYTES:
        raise DomainError(
            lazy_format(
                _("The file %(name)s is larger than %(max)d MB."),
                {"name": name, "max": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            )
        )
    content_type = sniff_content_type(file)
    if content_type is None:
        raise DomainError(
            lazy_format(
                _("The file %(name)s is not a PDF, PNG, JPEG, Word (DOCX) or Excel (XLSX) file."),
                {"name": name},
            )
        )
    return name, content_type, size
