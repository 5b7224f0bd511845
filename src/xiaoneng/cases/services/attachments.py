"""Attaching files to a case: size and type checked by content, never by the name alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Attachment, Case
from xiaoneng.cases.services.steps import record, require_staff
from xiaoneng.errors import DomainError
from xiaoneng.web.uploads import MAX_ATTACHMENT_BYTES, MAX_NAME, sniff_content_type

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def attachment_add(*, case: Case, file: UploadedFile, by: User) -> Attachment:
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
