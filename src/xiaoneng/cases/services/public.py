"""A request from the public (the portal, Open311, the demo) registered with its checked
attachments, in one transaction."""

from __future__ import annotations

import uuid

from django.core.files.base import File
from django.db import transaction

from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import Attachment, Category, Channel
from xiaoneng.cases.services.intake import Registered, case_register
from xiaoneng.org.models import Unit
from xiaoneng.web.uploads import CheckedFile


def public_submit(
    *,
    kind: str,
    category: Category,
    content: str,
    title: str = "",
    unit_concerned: Unit | None = None,
    person_concerned: str = "",
    requester_name: str = "",
    requester_phone: str = "",
    requester_email: str = "",
    is_anonymous: bool = False,
    consent_publish: bool = False,
    files: list[CheckedFile] | None = None,
    channel: str = Channel.ONLINE,
    urgent: bool | None = None,
) -> Registered:
    """Register a request from the public (``by`` None) and keep its checked attachments.
    ``urgent`` True when the requester said so; otherwise the category and words may suggest it
    (urgent for review, ``cases/urgency.py``)."""
    if is_anonymous:
        requester_name = requester_phone = requester_email = ""
    with transaction.atomic():
        registered = case_register(
            by=None,
            channel=channel,
            kind=kind,
            category=category,
            content=content,
            title=title,
            unit_concerned=unit_concerned,
            person_concerned=person_concerned,
            requester_name=requester_name,
            requester_phone=requester_phone,
            requester_email=requester_email,
            is_anonymous=is_anonymous,
            consent_publish=consent_publish,
            urgent=True if urgent else None,
        )
        for checked in files or []:
            stored = File(checked.upload, name=f"{uuid.uuid4().hex}.{checked.extension}")
            Attachment.objects.create(
                case=registered.case,
                file=stored,
                name=checked.name,
                content_type=checked.content_type,
                size=checked.upload.size or 0,
            )
        if files:
            log_action(
                action="case.attachments_added",
                obj=registered.case,
                summary={"number": registered.case.number, "count": len(files)},
            )
    return registered
