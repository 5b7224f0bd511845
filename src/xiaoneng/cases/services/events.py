"""The case timeline: one event and its audit row for every change to a case.

The case services write it with each transition; another app that changes something about a
case in its own transaction (a denial filing reviewed, a supervision order about the case) writes
it the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from xiaoneng import deferred
from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import Case, CaseEvent

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor


def case_event_record(
    case: Case,
    *,
    action: str,
    user: Actor,
    from_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    public: bool = True,
    at: datetime | None = None,
) -> CaseEvent:
    """Write the timeline event and the audit row for a change already applied to ``case``."""
    actor = user if getattr(user, "is_authenticated", False) else None
    event = deferred.new_row(
        CaseEvent,
        case=case,
        at=at or timezone.now(),
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=case.state,
        note=note,
        data=data or {},
        public=public,
    )
    deferred.insert([event])
    log_action(
        action=f"case.{action}",
        obj=case,
        actor=actor,
        unit_id=case.unit_id,
        summary={"number": case.number, "from": from_state, "to": case.state, **(data or {})},
    )
    return event


@dataclass(frozen=True)
class EventRow:
    """An automatic change to a case (no actor, the state unchanged) held as its columns."""

    case_id: int
    number: str
    unit_id: int | None
    state: str
    action: str
    data: dict[str, Any]
    at: datetime
    public: bool = False


_EVENT_COLUMNS = [
    "case_id", "at", "actor_id", "action", "from_state", "to_state", "note", "data", "public",
]  # fmt: skip


def case_events_record_bulk(rows: list[EventRow]) -> None:
    """The events and audit rows ``case_event_record`` writes, for many automatic changes at
    once (the sweeper's batch): the events go in as tuples (``COPY`` on PostgreSQL), each audit
    row still through ``log_action`` and the chain's seal."""
    deferred.write_rows(
        CaseEvent._meta.db_table,
        _EVENT_COLUMNS,
        [
            (
                row.case_id,
                row.at,
                None,
                row.action,
                row.state,
                row.state,
                "",
                json.dumps(row.data),
                row.public,
            )
            for row in rows
        ],
    )
    case_type = Case._meta.label_lower
    for row in rows:
        log_action(
            action=f"case.{row.action}",
            ref=(case_type, str(row.case_id)),
            actor=None,
            unit_id=row.unit_id,
            summary={"number": row.number, "from": row.state, "to": row.state, **row.data},
        )
