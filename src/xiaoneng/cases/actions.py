"""Which actions a person may take on a case now: what the office and the API offer.

The services remain the authority (they check again under the row lock); this answers the
question for display without a query per button.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases import clocks
from xiaoneng.cases.models import Case, CaseAssist, Decision
from xiaoneng.cases.permissions import staff_for
from xiaoneng.cases.pool import may_work_pool
from xiaoneng.cases.states import ALLOWED_FROM, State
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import post_acting_holder, user_roles


def _may(action: str, case: Case) -> bool:
    return case.state in ALLOWED_FROM[action]


def available_actions(case: Case, user: Any) -> list[str]:
    """Action codes (the keys of ``ALLOWED_FROM``) in the order a person would take them."""
    staff = staff_for(user)
    if staff is None:
        return []
    roles = user_roles(user)
    office = Role.EFFICIENCY_OFFICE in roles
    lead_id = case.lead_department_id
    head_of_lead = lead_id is not None and case.lead_department.head_id == staff.pk
    in_lead = head_of_lead or (lead_id is not None and staff.department_id == lead_id)
    first_contact = case.first_contact_id == staff.pk
    found: list[str] = []

    def offer(action: str, allowed: bool) -> None:
        if allowed and _may(action, case):
            found.append(action)

    pool_worker = may_work_pool(user, case)  # asks the database only for a pooled case
    offer("accept", pool_worker)
    offer("answer_directly", office or first_contact or pool_worker)
    offer("dispatch", office or first_contact or pool_worker)
    offer("sign_for", _may_sign(case, staff, head_of_lead, in_lead))
    offer("assign_handler", head_of_lead or office)
    offer("assist_opinion", _pending_assist(case, staff) is not None)
    offer("request_return", in_lead and not case.reply_pending_review)
    offer("decide_return", office)
    pending_extension = case.extension_requests.filter(decision=Decision.PENDING).exists()
    offer("request_extension", in_lead and not pending_extension)
    offer(
        "decide_extension",
        pending_extension and bool(roles & {Role.EFFICIENCY_OFFICE, Role.LEADER}),
    )
    offer("suspend", in_lead and not case.reply_pending_review)
    offer("resume", in_lead)
    offer("reply", in_lead and not case.reply_pending_review)
    offer("review_reply", head_of_lead and case.reply_pending_review)
    offer("rate", office)
    offer("reopen", office)
    offer("close", office)
    offer("withdraw", office)
    may_invalidate = office or pool_worker or (first_contact and case.state == State.REGISTERED)
    offer("invalidate", may_invalidate and case.kind != "application")
    offer("merge", office)
    return found


def _may_sign(case: Case, staff: Any, head_of_lead: bool, in_lead: bool) -> bool:
    if case.state != State.DISPATCHED:
        return False
    if head_of_lead:
        return True
    if case.post is not None:
        acting = post_acting_holder(post=case.post, at=timezone.now())
        return acting.staff is not None and acting.staff.pk == staff.pk
    return in_lead


def _pending_assist(case: Case, staff: Any) -> CaseAssist | None:
    if staff.department_id is None:
        return None
    # .all() so a page that prefetched the assists asks the database nothing more.
    for assist in case.assists.all():
        if assist.department_id == staff.department_id and (
            assist.opinion == CaseAssist.Opinion.PENDING
        ):
            return assist
    return None


# -- what each action did, in the user's words -------------------------------------------------
#
# action -> {outcome: message}. The outcome is the timeline event the action wrote (a reply is
# either sent or drafted for review; a decision approves or rejects), so the message says what
# really happened. Shared by the office's flash messages and any other caller.
MESSAGES: dict[str, dict[str, Any]] = {
    "accept": {
        "accept": _("Accepted from the intake pool: you are now its first-contact person."),
    },
    "answer_directly": {
        "answer_directly": _("Answered directly; the reply was sent to the requester."),
    },
    "dispatch": {"dispatch": _("Dispatched to %(lead)s; it now has to sign for the case.")},
    "sign_for": {"sign_for": _("Signed for: the case is now being handled by %(lead)s.")},
    "assign_handler": {"assign_handler": _("%(handler)s is now the handler of the case.")},
    "assist_opinion": {"assist_opinion": _("Your opinion was sent to the lead department.")},
    "request_return": {
        "request_return": _(
            "Return request submitted; waiting for the efficiency office's decision."
        ),
    },
    "decide_return": {
        "accept_return": _("Return accepted: the case was dispatched to %(lead)s."),
        "reject_return": _(
            "Return rejected: the case is back with %(lead)s, and a buck-passing violation "
            "was recorded for review."
        ),
    },
    "request_extension": {
        "request_extension": _(
            "Extension request submitted; waiting for the efficiency office's approval."
        ),
    },
    "decide_extension": {
        "approve_extension": _(
            "Extension approved: the reply is now due %(due)s; the requester was told."
        ),
        "reject_extension": _("Extension rejected: the original time limit stands."),
    },
    "suspend": {
        "suspend": _("Case suspended: its time limit is paused until the case is resumed."),
    },
    "resume": {"resume": _("Case resumed: its time limit runs again.")},
    "reply": {
        "reply_drafted": _("Draft reply submitted to the head for review."),
        "reply": _("Reply sent to the requester; the rating period has begun."),
    },
    "review_reply": {
        "reply": _("Reply approved and sent to the requester."),
        "reply_returned": _("Draft reply sent back to the handler for changes."),
    },
    "rate": {
        "rate": _("Rating recorded; the case is closed."),
        "rate_unsatisfied": _("Unsatisfied rating recorded; the case awaits the reopen review."),
    },
    "reopen": {"reopen": _("Case reopened: it is back with %(lead)s with a new time limit.")},
    "close": {"close": _("Case closed.")},
    "withdraw": {"withdraw": _("Case withdrawn; its time limits stopped.")},
    "invalidate": {"invalidate": _("Case marked invalid; its time limits stopped.")},
    "merge": {"merge": _("Case merged into %(into)s.")},
}

# Consequences for the requests that were still waiting (cases/services/pending.py).
SIDE_EFFECTS = {
    "extension_withdrawn": _("The pending extension request was withdrawn."),
    "assist_withdrawn": _("Opinions still awaited from assisting departments are no longer asked."),
    "return_withdrawn": _("The pending return request was withdrawn."),
}


def _outcome(action: str, case: Case, written: list[Any]) -> str:
    outcomes = MESSAGES[action]
    found = next((event for event in reversed(written) if event.action in outcomes), None)
    if found is None:
        # A repeated identical request wrote nothing: say what the earlier one did.
        found = case.events.filter(action__in=list(outcomes)).order_by("-at", "-id").first()
    code = found.action if found is not None else next(iter(outcomes))
    if code == "rate" and case.state == State.REOPEN_REVIEW:
        return "rate_unsatisfied"
    return code


def _values(case: Case) -> dict[str, Any]:
    values: dict[str, Any] = {
        "lead": case.lead_department.name if case.lead_department_id else "",
        "handler": str(case.handler.user) if case.handler_id else "",
        "into": case.merged_into.number if case.merged_into_id else "",
        "due": "",
    }
    if case.state in {State.IN_PROGRESS, State.SUSPENDED}:
        values["due"] = clocks.due_display(case=case, stage=clocks.REPLY)
    return values


def last_event_id(case: Case) -> int:
    """Call before the action: the message reads the events written after this one."""
    return case.events.order_by("-id").values_list("id", flat=True).first() or 0


def action_message(action: str, case: Case, *, after_event_id: int) -> str:
    """What ``action`` did to ``case``, in the user's words (``case`` read after the action)."""
    case = Case.objects.select_related("lead_department", "handler__user", "merged_into").get(
        pk=case.pk
    )
    written = list(case.events.filter(id__gt=after_event_id).order_by("id"))
    message = str(MESSAGES[action][_outcome(action, case, written)]) % _values(case)
    seen = {event.action for event in written}
    extra = [str(text) for code, text in SIDE_EFFECTS.items() if code in seen]
    return gettext("%(number)s: %(message)s") % {
        "number": case.number,
        "message": " ".join([message, *extra]),
    }
