"""Which actions a person may take on a case now: what the office and the API offer.

The services remain the authority (they check again under the row lock); this answers the
question for display without a query per button.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

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
    offer("request_return", in_lead)
    offer("decide_return", office)
    pending_extension = case.extension_requests.filter(decision=Decision.PENDING).exists()
    offer("request_extension", in_lead and not pending_extension)
    offer(
        "decide_extension",
        pending_extension and bool(roles & {Role.EFFICIENCY_OFFICE, Role.LEADER}),
    )
    offer("suspend", in_lead)
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
