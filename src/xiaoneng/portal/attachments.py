"""Checking uploaded attachments by their content (magic bytes), never by their name."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from xiaoneng.errors import DomainError
from xiaoneng.web.uploads import PICTURE_OR_PDF, CheckedFile, safe_file_name, sniff_file_kind


def max_files() -> int:
    return int(getattr(settings, "XIAONENG_PORTAL_MAX_FILES", 3))


def max_file_size() -> int:
    return int(getattr(settings, "XIAONENG_PORTAL_MAX_FILE_SIZE", 5 * 1024 * 1024))


def check_files(files: list[UploadedFile]) -> list[CheckedFile]:
    """Refuse too many files, files too large and any file that is not a picture or a PDF."""
    if len(files) > max_files():
        raise DomainError(_("Please attach at most %(count)d files.") % {"count": max_files()})
    checked = []
    for upload in files:
        if upload.size is None or upload.size > max_file_size():
            raise DomainError(
                _("%(name)s is too large (at most %(size)d MB).")
                % {
                    "name": safe_file_name(upload.name or ""),
                    "size": max_file_size() // (1024 * 1024),
                }
            )
        found = sniff_file_kind(upload)
        if found is None or found[0] not in PICTURE_OR_PDF:
            raise DomainError(
                _("%(name)s is not a picture (JPEG, PNG, WebP) or a PDF document.")
                % {"name": safe_file_name(upload.name or "")}
            )
        content_type, extension = found
        checked.append(
            CheckedFile(
                upload=upload,
                content_type=content_type,
                extension=extension,
                name=safe_file_name(upload.name or ""),
            )
        )
    return checked
