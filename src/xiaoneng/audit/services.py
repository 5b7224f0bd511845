"""Writing to the audit log: every state change calls ``log_action`` inside its transaction."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from xiaoneng.audit.context import current_context
from xiaoneng.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry

# Keys whose values must never reach the log, whatever a caller passes.
_FORBIDDEN_KEY_PARTS = ("password", "secret", "token", "otp")


def _clean_summary(summary: dict[str, Any] | None) -> dict[str, Any]:
    cleaned = {
        key: value
        for key, value in (summary or {}).items()
        if not any(part in key.lower() for part in _FORBIDDEN_KEY_PARTS)
    }
    # Round-trip through JSON so the hashed form equals what the database gives back.
    return json.loads(json.dumps(cleaned, default=str, ensure_ascii=False))


def entry_content_hash(entry: AuditEntry) -> str:
    """The hash of a row's content chained to its predecessor's hash."""
    created = entry.created_at.astimezone(UTC).isoformat(timespec="microseconds")
    content = [
        created,
        entry.actor_id,
        entry.actor_label,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.unit_id,
        entry.ip,
        entry.request_id,
        entry.summary,
        entry.prev_hash,
    ]
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(pk=1, last_hash=GENESIS_HASH, count=0)
    except IntegrityError:
        pass  # Another writer created it first; lock theirs.
    return AuditChainHead.objects.select_for_update().get(pk=1)


def _object_ref(obj: Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def _actor_of(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    return actor.pk, actor.get_username()


def log_action(
    *,
    action: str,
    obj: Model | None = None,
    actor: Any = None,
    unit_id: int | None = None,
    summary: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one row to the audit chain inside the caller's transaction.

    ``actor`` defaults to the user of the current request; ``unit_id`` to the object's unit.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("log_action must run inside the transaction of the change it records")
    context = current_context()
    actor_id, actor_label = _actor_of(actor if actor is not None else context.user)
    object_type, object_id = _object_ref(obj)
    if unit_id is None and obj is not None:
        unit_id = getattr(obj, "unit_id", None)
    head = _locked_head()
    entry = AuditEntry(
        created_at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        unit_id=unit_id,
        ip=context.ip,
        request_id=context.request_id,
        summary=_clean_summary(summary),
        prev_hash=head.last_hash,
    )
    entry.entry_hash = entry_content_hash(entry)
    entry.save(force_insert=True)
    head.last_hash = entry.entry_hash
    head.count += 1
    head.save(update_fields=["last_hash", "count"])
    return entry
