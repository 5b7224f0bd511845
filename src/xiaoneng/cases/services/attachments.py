"""Attaching files to a case: size and type checked by content, never by the name alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from xiaoneng.cases.models import Attachment, Case
from xiaoneng.cases.services.steps import record, require_staff
from xiaoneng.web.uploads import check_upload

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def attachment_add(
    *, case: Case, file: UploadedFile, by: User, for_reply: bool = False
) -> Attachment:
    """Store ``file`` on ``case``; refuse files over 10 MB or of a type we do not accept
    (``web.uploads.check_upload``). ``for_reply``: sent with the reply (the reply composer)."""
    require_staff(by)
    name, content_type, size = check_upload(file)
    with transaction.atomic():
        attachment = Attachment(
            case=case,
            name=name,
            content_type=content_type,
            size=size,
            uploaded_by=by,
            for_reply=for_reply,
        )
        attachment.file.save(name, file, save=False)
        attachment.save()
        # A timeline event as well as the audit row: the case page lists attachments from
        # its timeline, so showing them costs no query of its own.
        data = {"attachment": attachment.pk, "name": name, "size": size}
        if for_reply:
            data["reply"] = True
        record(case, action="attach", user=by, from_state=case.state, data=data, public=False)
    return attachment
