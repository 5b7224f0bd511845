"""Attaching files to a case: size and type checked by content, never by the name alone."""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Attachment, Case
from xiaoneng.cases.services._common import record, require_staff
from xiaoneng.errors import DomainError

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor

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


def sniff_content_type(file: Any) -> str | None:
    """The content type the bytes prove (PDF, PNG, JPEG, DOCX, XLSX), else None."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
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


def attachment_add(*, case: Case, file: UploadedFile, by: Actor) -> Attachment:
    """Store ``file`` on ``case``; refuse files over 10 MB or of a type we do not accept."""
    require_staff(by)
    size = file.size or 0
    if size == 0:
        raise DomainError(_("The file %(name)s is empty.") % {"name": file.name})
    if size > MAX_ATTACHMENT_BYTES:
        raise DomainError(
            _("The file %(name)s is larger than %(max)d MB.")
            % {"name": file.name, "max": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
        )
    content_type = sniff_content_type(file)
    if content_type is None:
        raise DomainError(
            _("The file %(name)s is not a PDF, PNG, JPEG, Word (DOCX) or Excel (XLSX) file.")
            % {"name": file.name}
        )
    name = (file.name or "attachment")[-MAX_NAME:]
    with transaction.atomic():
        attachment = Attachment(
            case=case, name=name, content_type=content_type, size=size, uploaded_by=by
        )
        attachment.file.save(name, file, save=False)
        attachment.save()
        # A timeline event as well as the audit row: the case page lists attachments from
        # its timeline, so showing them costs no query of its own.
        record(
            case,
            action="attach",
            user=by,
            from_state=case.state,
            data={"attachment": attachment.pk, "name": name, "size": size},
            public=False,
        )
    return attachment
