"""Checking uploaded attachments by their content (magic bytes), never by their name."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from xiaoneng.errors import DomainError
from xiaoneng.web.uploads import CheckedFile

# content type, extension, leading bytes
_SIGNATURES: list[tuple[str, str, bytes]] = [
    ("image/jpeg", "jpg", b"\xff\xd8\xff"),
    ("image/png", "png", b"\x89PNG\r\n\x1a\n"),
    ("application/pdf", "pdf", b"%PDF-"),
]


def max_files() -> int:
    return int(getattr(settings, "XIAONENG_PORTAL_MAX_FILES", 3))


def max_file_size() -> int:
    return int(getattr(settings, "XIAONENG_PORTAL_MAX_FILE_SIZE", 5 * 1024 * 1024))


def sniff(head: bytes) -> tuple[str, str] | None:
    for content_type, extension, magic in _SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def _safe_name(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return name.strip()[:100] or "file"


def check_files(files: list[UploadedFile]) -> list[CheckedFile]:
    """Refuse too many files, files too large and any file that is not a picture or a PDF."""
    if len(files) > max_files():
        raise DomainError(_("Please attach at most %(count)d files.") % {"count": max_files()})
    checked = []
    for upload in files:
        if upload.size is None or upload.size > max_file_size():
            raise DomainError(
                _("%(name)s is too large (at most %(size)d MB).")
                % {"name": _safe_name(upload.name or ""), "size": max_file_size() // (1024 * 1024)}
            )
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        found = sniff(head)
        if found is None:
            raise DomainError(
                _("%(name)s is not a picture (JPEG, PNG, WebP) or a PDF document.")
                % {"name": _safe_name(upload.name or "")}
            )
        content_type, extension = found
        checked.append(
            CheckedFile(
                upload=upload,
                content_type=content_type,
                extension=extension,
                name=_safe_name(upload.name or ""),
            )
        )
    return checked
