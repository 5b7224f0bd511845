"""The portal's state changes: Open311 client keys. (A public submission is
``cases.services.public.public_submit``.)"""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.errors import DomainError
from xiaoneng.portal.models import Open311Key

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor


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
