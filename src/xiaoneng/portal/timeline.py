"""The case timeline in plain words for the person who asked: no staff notes, no codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from xiaoneng.cases.models import Case, CaseEvent
from xiaoneng.cases.selectors import case_timeline
from xiaoneng.cases.states import State
from xiaoneng.portal import orgnames


@dataclass(frozen=True)
class PublicEvent:
    at: datetime
    text: str


def _texts() -> dict[str, str]:
    """The sentences of the actions that name nothing, in the active language."""
    return {
        "accept": _("A first-contact officer accepted your request and is responsible for it."),
        "sign_for": _("The department signed for your request and is handling it."),
        "assign_handler": _("A handler was assigned to your request."),
        "reject_return": _("The department was told to keep handling your request."),
        "approve_extension": _("More time to handle your request was approved."),
        "reject_extension": _("A request for more time was refused; the original date stands."),
        "suspend": _("Handling was paused (waiting for materials or for a lawful reason)."),
        "resume": _("Handling resumed."),
        "reply": _("A reply was given to you."),
        "answer_directly": _("A reply was given to you."),
        "rate": _("You rated the reply."),
        "reopen": _("Your request is being handled again."),
        "close": _("Your request was closed."),
        "close_unrated": _("Your request was closed without a rating."),
        "withdraw": _("Your request was withdrawn."),
        "invalidate": _("Your request was closed as invalid."),
        "merge": _("Your request was merged with another request on the same matter."),
        "merged_in": _("Another request on the same matter was joined to yours."),
    }


def _sentence(event: CaseEvent, departments: dict[int, str], texts: dict[str, str]) -> str:
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
    return texts.get(action, _("Your request was updated."))


def public_timeline(case: Case) -> list[PublicEvent]:
    return public_events(list(case_timeline(case=case, public_only=True)))


def public_events(events: list[CaseEvent]) -> list[PublicEvent]:
    """The sentences of a case's public events (read with ``case_timeline``)."""
    leads = (event.data.get("lead") for event in events)
    lead_ids = sorted({lead for lead in leads if type(lead) is int and lead > 0})
    departments = {pk: department.name for pk, department in orgnames.departments(lead_ids).items()}
    texts = _texts()
    return [PublicEvent(at=event.at, text=_sentence(event, departments, texts)) for event in events]


def public_state(state: str, *, pooled: bool = False) -> str:
    """Where the request stands, as the person who asked would say it."""
    if pooled and state == State.REGISTERED:
        return _("Submitted, waiting to be accepted")
    return {
        State.REGISTERED: _("Received, being passed to a department"),
        State.DISPATCHED: _("Passed to a department, waiting for it to sign for it"),
        State.IN_PROGRESS: _("Being handled"),
        State.RETURN_REQUESTED: _("Being handled"),
        State.SUSPENDED: _("Paused, waiting for materials or for a lawful reason"),
        State.REPLIED: _("Answered: please read the reply and rate it"),
        State.REOPEN_REVIEW: _("Your rating is being reviewed by the efficiency office"),
        State.CLOSED: _("Closed"),
        State.WITHDRAWN: _("Withdrawn"),
        State.INVALID: _("Closed as invalid"),
        State.MERGED: _("Merged with another request on the same matter"),
    }.get(state, _("Being handled"))
