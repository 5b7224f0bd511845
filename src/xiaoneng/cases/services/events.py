"""The case timeline: one event and its audit row for every change to a case.

The case services write it with each transition; another app that changes something about a
case in its own transaction (a denial filing reviewed, a supervision order about the case) writes
it the same way.
"""

from __future__ import annotations

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
    event = CaseEvent(
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
