"""Signing for, assigning, assisting opinions, returns and their arbitration, extensions,
suspension and resumption."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases import clocks, facts
from xiaoneng.cases.models import Case, CaseAssist, Decision, ExtensionRequest, ReturnRequest
from xiaoneng.cases.notifications import (
    department_people,
    efficiency_office_staff,
    notify_requester,
    notify_staff,
)
from xiaoneng.cases.services import pending as waiting
from xiaoneng.cases.services.intake import dispatch_to
from xiaoneng.cases.services.steps import (
    in_department,
    is_efficiency_office,
    is_head_of,
    is_repeat,
    lock,
    now,
    record,
    require_lead_department,
    require_role,
    require_staff,
    require_state,
    require_text,
)
from xiaoneng.cases.states import State
from xiaoneng.errors import DomainError, PermissionDenied, lazy_format
from xiaoneng.org.models import Department, Staff
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import Capacity, post_acting_holder


def _signing_capacity(case: Case, staff: Staff) -> tuple[str, Staff | None]:
    """May this person sign for the case now, and in which capacity (AB岗)?"""
    if is_head_of(staff, case.lead_department_id):
        return Capacity.HEAD, None
    if case.post is not None:
        acting = post_acting_holder(post=case.post, at=now())
        if acting.staff is not None and acting.staff.pk == staff.pk and acting.capacity:
            standing_in_for = acting.standing_in_for
            return acting.capacity, standing_in_for
        raise PermissionDenied(
            lazy_format(
                _(
                    "The case is for the post %(post)s: its A holder, or the B holder while A "
                    "is away, or the department head signs for it."
                ),
                {"post": case.post.label},
            )
        )
    if in_department(staff, case.lead_department_id):
        return Capacity.A_HOLDER, None
    raise PermissionDenied(_("Only the lead department may sign for this case."))


def case_sign_for(*, case: Case, by: Any) -> Case:
    staff = require_staff(by)
    with transaction.atomic():
        case = lock(case)
        if is_repeat(case, "sign_for", by):
            return case
        require_state(case, "sign_for")
        capacity, standing_in_for = _signing_capacity(case, staff)
        at = now()
        late = clocks.is_overdue(case=case, stage=clocks.SIGN_FOR, at=at)
        clocks.stop(case=case, stage=clocks.SIGN_FOR, at=at, by=by)
        case.state = State.IN_PROGRESS
        if capacity != Capacity.HEAD:
            case.handler = staff
        elif case.post is not None:
            case.handler = post_acting_holder(post=case.post, at=at).staff
        case.save()
        data = {"capacity": str(capacity), "late": late}
        if standing_in_for is not None:
            data["standing_in_for"] = standing_in_for.pk
        record(case, action="sign_for", user=by, from_state=State.DISPATCHED, data=data, at=at)
        if late:
            facts.announce(
                facts.SIGNED_FOR_LATE,
                case=case,
                key=f"{case.pk}:{case.return_count}",
                department=case.lead_department,
                staff=staff,
            )
    return case


def case_assign_handler(*, case: Case, by: Any, handler: Staff) -> Case:
    staff = require_staff(by)
    with transaction.atomic():
        case = lock(case)
        if case.handler_id == handler.pk and is_repeat(case, "assign_handler", by):
            return case
        require_state(case, "assign_handler")
        if not (is_head_of(staff, case.lead_department_id) or is_efficiency_office(by)):
            raise PermissionDenied(_("Only the head of the lead department assigns the handler."))
        if handler.department_id != case.lead_department_id:
            raise DomainError(_("The handler must work in the lead department."))
        case.handler = handler
        case.save()
        record(
            case,
            action="assign_handler",
            user=by,
            from_state=case.state,
            data={"handler": handler.pk},
        )
        notify_staff(
            case, [handler], kind="case.assigned", subject=gettext("A case assigned to you")
        )
    return case


def case_assist_opinion(
    *, case: Case, by: Any, department: Department, opinion: str, reason: str = ""
) -> CaseAssist:
    staff = require_staff(by)
    if opinion not in {
        CaseAssist.Opinion.AGREE,
        CaseAssist.Opinion.DISAGREE,
        CaseAssist.Opinion.REFER_UP,
    }:
        raise DomainError(_("Choose agree, disagree, or agree and refer upward."))
    if opinion != CaseAssist.Opinion.AGREE:
        reason = require_text(reason, _("Please give your reasons."))
    with transaction.atomic():
        case = lock(case)
        assist = (
            CaseAssist.objects.select_for_update().filter(case=case, department=department).first()
        )
        if assist is None:
            raise DomainError(_("That department is not assisting on this case."))
        if not (in_department(staff, department.pk) or is_head_of(staff, department.pk)):
            raise PermissionDenied(_("Only the assisting department may give its opinion."))
        if assist.opinion == opinion and assist.answered_by_id == staff.pk:
            return assist
        if assist.opinion != CaseAssist.Opinion.PENDING:
            raise DomainError(_("This department has already given its opinion."))
        require_state(case, "assist_opinion")
        at = now()
        assist.opinion, assist.reason = opinion, reason
        assist.answered_by, assist.answered_at = staff, at
        assist.save()
        clocks.stop(case=case, stage=clocks.ASSIST, at=at, by=by, owner=assist)
        record(
            case,
            action="assist_opinion",
            user=by,
            from_state=case.state,
            note=reason,
            data={"department": department.pk, "opinion": opinion},
            public=False,
        )
        notify_staff(
            case,
            department_people(case, case.lead_department),
            kind="case.assist_opinion",
            subject=gettext("An assisting opinion arrived"),
        )
    return assist


def case_request_return(*, case: Case, by: Any, reason: str, basis: str) -> ReturnRequest:
    reason = require_text(reason, _("Please give the reason for the return."))
    basis = require_text(basis, _("Please cite the basis: why this is not your remit."))
    with transaction.atomic():
        case = lock(case)
        pending = case.return_requests.filter(decision=Decision.PENDING).first()
        if pending is not None and pending.requested_by.user_id == getattr(by, "pk", None):
            return pending
        staff = require_lead_department(by, case)
        require_state(case, "request_return")
        if case.reply_pending_review:
            raise DomainError(
                _(
                    "A reply to this case is waiting for the head's review: a case the "
                    "department has answered cannot be returned. Ask the head to send the draft "
                    "back first."
                )
            )
        at = now()
        # The return decides who handles the case at all; more time for it makes no sense.
        waiting.withdraw_extension(case, by=by, cause=waiting.RETURN_REQUESTED, at=at)
        request = ReturnRequest.objects.create(
            case=case,
            # require_lead_department passed, so the case has a lead department.
            department_id=case.lead_department_id,  # type: ignore[misc]
            reason=reason,
            basis=basis,
            requested_by=staff,
            requested_at=at,
            previous_state=case.state,
        )
        from_state = case.state
        if from_state == State.DISPATCHED:
            clocks.stop(case=case, stage=clocks.SIGN_FOR, at=at, by=by)
        case.state = State.RETURN_REQUESTED
        case.save()
        record(
            case,
            action="request_return",
            user=by,
            from_state=from_state,
            note=reason,
            data={"request": request.pk},
            public=False,
        )
        notify_staff(
            case,
            efficiency_office_staff(),
            kind="case.return_requested",
            subject=gettext("A return to arbitrate"),
        )
    return request


def case_decide_return(
    *,
    case: Case,
    by: Any,
    accept: bool,
    note: str = "",
    new_lead: Department | None = None,
    assisting: Iterable[Department] = (),
) -> Case:
    """Accept (and redispatch to ``new_lead``) or reject (back to the department: 推诿)."""
    require_role(by, Role.EFFICIENCY_OFFICE)
    staff = require_staff(by)
    with transaction.atomic():
        case = lock(case)
        require_state(case, "decide_return")
        request = case.return_requests.select_for_update().get(decision=Decision.PENDING)
        at = now()
        request.decided_by, request.decided_at, request.decision_note = staff, at, note
        if accept:
            if new_lead is None or new_lead.pk == request.department_id:
                raise DomainError(_("Choose the department the case goes to instead."))
            request.decision = Decision.APPROVED
            request.save()
            case.return_count += 1
            waiting.withdraw_assists(
                case,
                by=by,
                cause=waiting.REDISPATCHED,
                at=at,
                keep={department.pk for department in assisting},
            )
            dispatch_to(case, lead=new_lead, assisting=assisting, post=None, at=at, by=by)
            record(
                case,
                action="accept_return",
                user=by,
                from_state=State.RETURN_REQUESTED,
                note=note,
                data={"request": request.pk, "lead": new_lead.pk},
            )
            return case
        note = require_text(note, _("Please say why the return is rejected."))
        request.decision = Decision.REJECTED
        request.save()
        case.state = State.IN_PROGRESS
        if case.handler is None and case.post is not None:
            case.handler = post_acting_holder(post=case.post, at=at).staff
        case.save()
        record(
            case,
            action="reject_return",
            user=by,
            from_state=State.RETURN_REQUESTED,
            note=note,
            data={"request": request.pk},
        )
        facts.announce(
            facts.RETURN_REJECTED,
            case=case,
            key=str(request.pk),
            department=request.department,
            staff=request.requested_by,
        )
        notify_staff(
            case,
            department_people(case, case.lead_department),
            kind="case.return_rejected",
            subject=gettext("Return rejected: handle the case"),
        )
    return case


def case_request_extension(
    *, case: Case, by: Any, reason: str, basis: str, extra_units: int
) -> ExtensionRequest:
    reason = require_text(reason, _("Please give the reason for the extension."))
    basis = require_text(basis, _("Please cite the basis for the extension."))
    with transaction.atomic():
        case = lock(case)
        pending = case.extension_requests.filter(decision=Decision.PENDING).first()
        if pending is not None:
            if (
                pending.requested_by.user_id == getattr(by, "pk", None)
                and pending.extra_units == extra_units
            ):
                return pending
            raise DomainError(_("An extension request is already waiting for a decision."))
        staff = require_lead_department(by, case)
        if case.state == State.RETURN_REQUESTED:
            raise DomainError(
                _(
                    "A return of this case is waiting for the efficiency office's decision; "
                    "ask for an extension once the case stays with your department."
                )
            )
        require_state(case, "request_extension")
        at = now()
        if clocks.is_overdue(case=case, stage=clocks.REPLY, at=at):
            raise DomainError(_("An extension must be asked for before the deadline."))
        clocks.check_extension(case=case, extra_units=extra_units)
        request = ExtensionRequest.objects.create(
            case=case,
            reason=reason,
            basis=basis,
            extra_units=extra_units,
            requested_by=staff,
            requested_at=at,
        )
        record(
            case,
            action="request_extension",
            user=by,
            from_state=case.state,
            note=reason,
            data={"request": request.pk, "extra": extra_units},
            public=False,
        )
        notify_staff(
            case,
            efficiency_office_staff(),
            kind="case.extension_requested",
            subject=gettext("An extension to decide"),
        )
    return request


def case_decide_extension(*, case: Case, by: Any, approve: bool, note: str = "") -> Case:
    require_role(by, Role.EFFICIENCY_OFFICE, Role.LEADER)
    staff = require_staff(by)
    with transaction.atomic():
        case = lock(case)
        require_state(case, "decide_extension")
        request = (
            case.extension_requests.select_for_update().filter(decision=Decision.PENDING).first()
        )
        if request is None:
            raise DomainError(_("There is no extension request waiting for a decision."))
        at = now()
        request.decided_by, request.decided_at, request.decision_note = staff, at, note
        request.decision = Decision.APPROVED if approve else Decision.REJECTED
        request.save()
        if approve:
            clocks.extend(case=case, extra_units=request.extra_units, by=by, reason=request.reason)
            due = clocks.due_display(case=case, stage=clocks.REPLY)
            with override("zh-hans"):
                message = gettext(
                    "The time limit of your request %(number)s was extended to %(due)s."
                ) % {"number": case.number, "due": due}
            notify_requester(case, kind="case.extended", message=message)
        record(
            case,
            action="approve_extension" if approve else "reject_extension",
            user=by,
            from_state=case.state,
            note=note,
            data={"request": request.pk, "extra": request.extra_units},
        )
        notify_staff(
            case,
            department_people(case, case.lead_department),
            kind="case.extension_decided",
            subject=gettext("Extension decided"),
        )
    return case


def case_suspend(*, case: Case, by: Any, reason: str, for_supplement: bool = False) -> Case:
    """Stop the clock while waiting for the requester (after a one-time notice) or by law."""
    reason = require_text(reason, _("Please give the reason for suspending."))
    with transaction.atomic():
        case = lock(case)
        if is_repeat(case, "suspend", by):
            return case
        require_lead_department(by, case)
        require_state(case, "suspend")
        if case.reply_pending_review:
            raise DomainError(
                _(
                    "A reply to this case is waiting for the head's review; it cannot be "
                    "suspended now. Ask the head to send the draft back first."
                )
            )
        at = now()
        clocks.pause(case=case, at=at, by=by, reason=reason)
        case.state = State.SUSPENDED
        case.save()
        record(
            case,
            action="suspend",
            user=by,
            from_state=State.IN_PROGRESS,
            note=reason,
            data={"supplement": for_supplement},
            at=at,
        )
    return case


def case_resume(*, case: Case, by: Any, note: str = "") -> Case:
    with transaction.atomic():
        case = lock(case)
        if is_repeat(case, "resume", by):
            return case
        require_lead_department(by, case)
        require_state(case, "resume")
        suspended = case.events.filter(action="suspend").order_by("-at", "-id").first()
        for_supplement = bool(suspended and suspended.data.get("supplement"))
        restart = for_supplement and clocks.restarts_after_supplement(case=case)
        at = now()
        clocks.resume(case=case, at=at, by=by, restart=restart)
        case.state = State.IN_PROGRESS
        case.save()
        record(
            case,
            action="resume",
            user=by,
            from_state=State.SUSPENDED,
            note=note,
            data={"restart": restart},
            at=at,
        )
    return case
