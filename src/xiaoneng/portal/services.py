"""The portal's state changes: a public submission with its attachments, Open311 keys."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import TYPE_CHECKING

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import Attachment, Category, Channel
from xiaoneng.cases.services import Registered, case_register
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Unit
from xiaoneng.portal.attachments import CheckedFile
from xiaoneng.portal.models import Open311Key

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor


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
) -> Registered:
    """Register a request from the public (``by`` None) and keep its checked attachments."""
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


# -- Open311 keys -------------------------------------------------------------------------------


def _key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def open311_key_create(*, name: str, by: Actor = None) -> tuple[Open311Key, str]:
    """Create a client key; the raw key is returned once and only its hash is kept."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Please give the key a name."))
    if Open311Key.objects.filter(name=name).exists():
        raise DomainError(_("A key with this name exists already."))
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        key = Open311Key.objects.create(name=name, key_hash=_key_hash(raw))
        log_action(action="portal.open311_key_create", obj=key, actor=by, summary={"name": name})
    return key, raw


def open311_key_deactivate(*, name: str, by: Actor = None) -> Open311Key:
    with transaction.atomic():
        key = Open311Key.objects.select_for_update().filter(name=name).first()
        if key is None:
            raise DomainError(_("No key has this name."))
        key.is_active = False
        key.save(update_fields=["is_active"])
        log_action(
            action="portal.open311_key_deactivate", obj=key, actor=by, summary={"name": name}
        )
    return key


def open311_key_check(raw: str) -> Open311Key | None:
    """The active key matching ``raw``; its last use is noted."""
    if not raw:
        return None
    key = Open311Key.objects.filter(key_hash=_key_hash(raw.strip()), is_active=True).first()
    if key is not None:
        Open311Key.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key
