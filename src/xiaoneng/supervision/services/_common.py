"""Shared steps of the supervision services: upload checks and staff notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.permissions import is_administrator
from xiaoneng.cases.services.attachments import MAX_ATTACHMENT_BYTES, MAX_NAME, sniff_content_type
from xiaoneng.errors import DomainError, lazy_format
from xiaoneng.notify.services import notification_enqueue
from xiaoneng.org.models import Staff


def check_upload(file: UploadedFile) -> tuple[str, str, int]:
    """The same checks as a case attachment: not empty, at most 10 MB, and a PDF, PNG, JPEG,
    DOCX or XLSX by its content (never by its name). Returns (name, content type, size)."""
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


def notify_people(
    people: Iterable[Staff | None], *, kind: str, subject: Any, body: str, obj: Any, unit_id: int
) -> int:
    """One inbox message per distinct person; returns how many were written."""
    seen: set[int] = set()
    for member in people:
        if member is None or member.user_id in seen or not member.user.is_active:
            continue
        if is_administrator(member.user):
            continue  # 三员分立: the message names the matter under supervision.
        seen.add(member.user_id)
        notification_enqueue(
            channel="inbox",
            kind=kind,
            subject=subject,
            body=body,
            user=member.user,
            obj=obj,
            unit_id=unit_id,
        )
    return len(seen)
