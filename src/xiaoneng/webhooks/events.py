"""The case event types an endpoint may subscribe to, and the payload sent for an event.

The payload carries no personal data of the requester (no name, phone, e-mail, ID number, no
content, title, note or reply): a receiver learns that something happened to a case and looks
it up through the API with its own credentials and scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import CaseEvent
from xiaoneng.workdays.models import Clock

# Event type (CaseEvent.action) -> label. Other actions are still delivered to endpoints
# subscribed to every type.
EVENT_TYPES: dict[str, Any] = {
    "register": _("Registered"),
    "answer_directly": _("Answered directly"),
    "dispatch": _("Dispatched"),
    "sign_for": _("Signed for"),
    "assign_handler": _("Handler assigned"),
    "assist_opinion": _("Assisting opinion given"),
    "request_return": _("Return requested"),
    "accept_return": _("Return accepted"),
    "reject_return": _("Return rejected"),
    "request_extension": _("Extension requested"),
    "approve_extension": _("Extension approved"),
    "reject_extension": _("Extension rejected"),
    "suspend": _("Suspended"),
    "resume": _("Resumed"),
    "reply": _("Replied"),
    "rate": _("Rated"),
    "reopen": _("Reopened"),
    "close": _("Closed"),
    "close_unrated": _("Closed without rating"),
    "withdraw": _("Withdrawn"),
    "invalidate": _("Marked invalid"),
    "merge": _("Merged"),
    "signal_prewarn": _("Pre-warning signal"),
    "signal_yellow": _("Yellow card signal"),
    "signal_red": _("Red card signal"),
}

CASE_OWNER = "cases.case"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def due_dates(case_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """Open time limits of the cases, by case id and stage (one query for the batch)."""
    found: dict[int, dict[str, str]] = {}
    clocks = (
        Clock.objects.filter(owner_type=CASE_OWNER, owner_id__in=list(case_ids))
        .exclude(state=Clock.State.STOPPED)
        .order_by("id")
        .values_list("owner_id", "stage", "due_at")
    )
    for owner_id, stage, due_at in clocks:
        found.setdefault(owner_id, {})[stage] = due_at.isoformat()
    return found


def event_payload(event: CaseEvent, due: dict[str, str]) -> dict[str, Any]:
    """What a receiver gets for one event. ``event.case`` must come with unit and department."""
    case = event.case
    return {
        "event_id": event.pk,
        "type": event.action,
        "occurred_at": _iso(event.at),
        "public": event.public,
        "transition": {"from": event.from_state or None, "to": event.to_state or None},
        "case": {
            "number": case.number,
            "state": case.state,
            "kind": case.kind,
            "channel": case.channel,
            "unit": case.unit.code,
            "lead_department": case.lead_department.code if case.lead_department_id else None,
            "registered_at": _iso(case.registered_at),
            "closed_at": _iso(case.closed_at),
            "due": due,
        },
    }
