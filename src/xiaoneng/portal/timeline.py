"""The case timeline in plain words for the person who asked: no staff notes, no codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.cases.models import Case, CaseEvent
from xiaoneng.cases.selectors import case_timeline
from xiaoneng.cases.states import State
from xiaoneng.portal import orgnames


@dataclass(frozen=True)
class PublicEvent:
    at: datetime
    text: str


# The sentences of the actions that name nothing, translated when shown (one of them per
# event, not the whole table).
_TEXTS: dict[str, Promise] = {
    "accept": gettext_lazy(
        "A first-contact officer accepted your request and is responsible for it."
    ),
    "sign_for": gettext_lazy("The department signed for your request and is handling it."),
    "assign_handler": gettext_lazy("A handler was assigned to your request."),
    "reject_return": gettext_lazy("The department was told to keep handling your request."),
    "approve_extension": gettext_lazy("More time to handle your request was approved."),
    "reject_extension": gettext_lazy(
        "A request for more time was refused; the original date stands."
    ),
    "suspend": gettext_lazy("Handling was paused (waiting for materials or for a lawful reason)."),
    "resume": gettext_lazy("Handling resumed."),
    "reply": gettext_lazy("A reply was given to you."),
    "answer_directly": gettext_lazy("A reply was given to you."),
    "rate": gettext_lazy("You rated the reply."),
    "reopen": gettext_lazy("Your request is being handled again."),
    "close": gettext_lazy("Your request was closed."),
    "close_unrated": gettext_lazy("Your request was closed without a rating."),
    "withdraw": gettext_lazy("Your request was withdrawn."),
    "invalidate": gettext_lazy("Your request was closed as invalid."),
    "merge": gettext_lazy("Your request was merged with another request on the same matter."),
    "merged_in": gettext_lazy("Another request on the same matter was joined to yours."),
}


def _sentence(event: CaseEvent, departments: dict[int, str]) -> str:
    lead = departments.get(event.data.get("lead") or 0, "")
    action = event.action
    if action == "register":
        if event.data.get("pool"):
            return _("Your request was submitted and waits to be accepted.")
        return _("Your request was registered and accepted.")
    if action in {"dispatch", "accept_return"}:
        if lead:
            return _("Passed to %(department)s to handle.") % {"department": lead}
        return _("Passed to the responsible department to handle.")
    text = _TEXTS.get(action)
    return str(text) if text is not None else _("Your request was updated.")


def public_timeline(case: Case) -> list[PublicEvent]:
    return public_events(list(case_timeline(case=case, public_only=True)))


def public_events(events: list[CaseEvent]) -> list[PublicEvent]:
    """The sentences of a case's public events (read with ``case_timeline``)."""
    leads = (event.data.get("lead") for event in events)
    lead_ids = sorted({lead for lead in leads if type(lead) is int and lead > 0})
    departments = {pk: department.name for pk, department in orgnames.departments(lead_ids).items()}
    return [PublicEvent(at=event.at, text=_sentence(event, departments)) for event in events]


_STATES: dict[str, Promise] = {
    State.REGISTERED: gettext_lazy("Received, being passed to a department"),
    State.DISPATCHED: gettext_lazy("Passed to a department, waiting for it to sign for it"),
    State.IN_PROGRESS: gettext_lazy("Being handled"),
    State.RETURN_REQUESTED: gettext_lazy("Being handled"),
    State.SUSPENDED: gettext_lazy("Paused, waiting for materials or for a lawful reason"),
    State.REPLIED: gettext_lazy("Answered: please read the reply and rate it"),
    State.REOPEN_REVIEW: gettext_lazy("Your rating is being reviewed by the efficiency office"),
    State.CLOSED: gettext_lazy("Closed"),
    State.WITHDRAWN: gettext_lazy("Withdrawn"),
    State.INVALID: gettext_lazy("Closed as invalid"),
    State.MERGED: gettext_lazy("Merged with another request on the same matter"),
}


def public_state(state: str, *, pooled: bool = False) -> str:
    """Where the request stands, as the person who asked would say it."""
    if pooled and state == State.REGISTERED:
        return _("Submitted, waiting to be accepted")
    text = _STATES.get(state)
    return str(text) if text is not None else _("Being handled")
