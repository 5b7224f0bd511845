"""Inbox messages for many recipients at once, written as tuples (the sweeper's batch).

The same rows ``notifications_enqueue_for_users`` writes for the inbox channel, built straight
from their values instead of one model instance each, and inserted with ``COPY`` on PostgreSQL
(``deferred.write_rows``). Like every outbox writer it runs inside the transaction of the
change it reports and asks for a relay run once that transaction commits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from xiaoneng import deferred
from xiaoneng.notify.models import Notification
from xiaoneng.notify.services import _relay_after_commit, _require_transaction

_SUBJECT_MAX = Notification._meta.get_field("subject").max_length or 200


@dataclass(frozen=True)
class InboxMessage:
    """One message to several logins (already chosen: active, distinct, no administrator)."""

    user_ids: list[int]
    kind: str
    subject: str
    body: str
    link: str
    object_type: str
    object_id: str
    case_number: str
    unit_id: int | None


def _columns() -> tuple[list[str], dict[str, Any]]:
    """Every column of an outbox row but the key, with the value a new row stores by default
    (a column added later takes its model default without a change here)."""
    defaults: dict[str, Any] = {}
    for field in Notification._meta.concrete_fields:
        if field.primary_key:
            continue
        value = field.get_default() if field.has_default() else ("" if not field.null else None)
        if isinstance(value, dict | list):
            value = json.dumps(value)
        defaults[field.column] = value
    return list(defaults), defaults


def notifications_enqueue_inbox(*, messages: list[InboxMessage], now: datetime) -> int:
    """Write one pending inbox row per message and recipient; returns how many."""
    _require_transaction()
    columns, defaults = _columns()
    rows: list[tuple[object, ...]] = []
    for message in messages:
        fixed = {
            **defaults,
            "created_at": now,
            "channel": Notification.Channel.INBOX.value,
            "kind": message.kind,
            "recipient_address": "",
            "subject": message.subject[:_SUBJECT_MAX],
            "body": message.body,
            "link": message.link,
            "object_type": message.object_type,
            "object_id": message.object_id,
            "case_number": message.case_number,
            "unit_id": message.unit_id,
            "status": Notification.Status.PENDING.value,
            "next_attempt_at": now,
        }
        for user_id in message.user_ids:
            fixed["recipient_user_id"] = user_id
            rows.append(tuple(fixed[column] for column in columns))
    deferred.write_rows(Notification._meta.db_table, columns, rows)
    if rows:
        _relay_after_commit()
    return len(rows)
