"""Appeals (申诉) against a card, a violation or a sanction.

Filed by the person concerned or the head of their department within ``APPEAL_WORKDAYS``
working days of the decision (the card's raising, the violation's confirmation, the sanction's
decision). The efficiency office decides appeals on cards and violations, a leader those on
sanctions and every escalated appeal. Outcomes: revoked, sent back for re-review, escalated,
upheld. The appeal row keeps the decision; the card, violation or sanction is only marked.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.accountability.models import Appeal, Sanction, Violation
from xiaoneng.accountability.sanctions import sanction_revoke
from xiaoneng.accountability.violations import APPEAL_WORKDAYS
from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import Signal
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.services import notify_people
from xiaoneng.org.models import Staff
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import require_staff, user_roles
from xiaoneng.workdays.deadlines import deadline_compute

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor

CARD_LEVELS = (Signal.Level.YELLOW, Signal.Level.RED)


def violations_counting(qs: QuerySet[Violation] | None = None) -> QuerySet[Violation]:
    """Violations that count (in assessments, bulletins): confirmed only — pending, dismissed
    and revoked ones do not."""
    qs = Violation.objects.all() if qs is None else qs
    return qs.filter(status=Violation.Status.CONFIRMED)


def signals_counting(qs: QuerySet[Signal] | None = None) -> QuerySet[Signal]:
    """Signals that count: not revoked on appeal."""
    qs = Signal.objects.all() if qs is None else qs
    return qs.filter(revoked=False)


def _concerned(target: str, obj: Any) -> tuple[Staff | None, int | None, int | None, datetime]:
    """The person concerned, their department and unit, and when the decision was made."""
    if target == Appeal.Target.CARD:
        if obj.level not in CARD_LEVELS:
            raise DomainError(_("Only a yellow or red card can be appealed."))
        if obj.revoked:
            raise DomainError(_("This card has already been revoked."))
        case = obj.case
        person = case.handler if case is not None else None
        department_id = case.lead_department_id if case is not None else None
        return person, department_id, obj.unit_id, obj.raised_at
    if target == Appeal.Target.VIOLATION:
        if obj.status != Violation.Status.CONFIRMED:
            raise DomainError(_("Only a confirmed violation can be appealed."))
        return obj.staff, obj.department_id, obj.unit_id, obj.reviewed_at
    if obj.revoked:
        raise DomainError(_("This sanction has already been revoked."))
    return obj.staff, obj.staff.department_id, obj.unit_id, obj.decided_at


def appeal_deadline(*, decided_at: datetime, unit_id: int | None) -> datetime:
    return deadline_compute(start=decided_at, limit=APPEAL_WORKDAYS, unit_id=unit_id).due_at


def _may_appeal(staff: Staff, by: Actor, obj: Any, target: str, department_id: int | None) -> bool:
    people = set()
    if target == Appeal.Target.CARD:
        if obj.case is not None and obj.case.handler_id:
            people.add(obj.case.handler_id)
    elif target == Appeal.Target.VIOLATION:
        people = {obj.staff_id, *obj.parts.values_list("staff_id", flat=True)}
    else:
        people.add(obj.staff_id)
    if staff.pk in people:
        return True
    if Role.DEPT_HEAD not in user_roles(by) or staff.department_id is None:
        return False
    departments = {department_id}
    departments |= set(Staff.objects.filter(pk__in=people).values_list("department_id", flat=True))
    return staff.department_id in departments


def appeal_file(*, by: Actor, target: str, obj: Any, grounds: str) -> Appeal:
    """File an appeal against ``obj`` (a Signal, a Violation or a Sanction)."""
    staff = require_staff(by)
    grounds = (grounds or "").strip()
    if not grounds:
        raise DomainError(_("Please give the grounds of the appeal."))
    model = {
        Appeal.Target.CARD: Signal,
        Appeal.Target.VIOLATION: Violation,
        Appeal.Target.SANCTION: Sanction,
    }.get(target)
    if model is None or not isinstance(obj, model):
        raise DomainError(_("Unknown kind of appeal."))
    with transaction.atomic():
        obj = model.objects.select_for_update().get(pk=obj.pk)
        person, department_id, unit_id, decided_at = _concerned(target, obj)
        if not _may_appeal(staff, by, obj, target, department_id):
            raise PermissionDenied(
                _("Only the person concerned or their department head may appeal.")
            )
        now = timezone.now()
        if decided_at is None or now > appeal_deadline(decided_at=decided_at, unit_id=unit_id):
            raise DomainError(
                _("The appeal period of %(days)s working days has passed.")
                % {"days": APPEAL_WORKDAYS}
            )
        field = {"card": "signal", "violation": "violation", "sanction": "sanction"}[target]
        open_appeals = Appeal.objects.filter(
            **{field: obj}, status__in=(Appeal.Status.PENDING, Appeal.Status.ESCALATED)
        )
        if open_appeals.exists():
            raise DomainError(_("An appeal against this is already pending."))
        appeal = Appeal.objects.create(
            target=target,
            **{field: obj},
            unit_id=unit_id,
            department_id=department_id,
            person=person,
            filed_by=staff,
            grounds=grounds,
            filed_at=now,
        )
        log_action(
            action="accountability.appeal.file",
            obj=appeal,
            actor=by,
            summary={"target": target, "object": obj.pk},
        )
        deciders = _deciders(Role.LEADER if target == Appeal.Target.SANCTION else None)
        notify_people(
            deciders,
            kind="accountability.appeal_filed",
            subject=gettext("An appeal was filed"),
            body=gettext("An appeal against a %(target)s awaits your decision.")
            % {"target": appeal.get_target_display()},
            obj=appeal,
        )
    return appeal


def _deciders(role: str | None) -> list[Staff]:
    role = role or Role.EFFICIENCY_OFFICE
    return list(
        Staff.objects.filter(user__groups__name=role, user__is_active=True).select_related("user")
    )


def appeal_may_decide(by: Actor, appeal: Appeal) -> bool:
    roles = user_roles(by)
    if appeal.status == Appeal.Status.ESCALATED or appeal.target == Appeal.Target.SANCTION:
        return Role.LEADER in roles
    return Role.EFFICIENCY_OFFICE in roles


def signal_revoke(*, by: Actor, signal: Signal, reason: str) -> Signal:
    """Mark a card revoked (an upheld appeal): it no longer counts anywhere."""
    if not user_roles(by) & {Role.EFFICIENCY_OFFICE, Role.LEADER}:
        raise PermissionDenied(_("Only the efficiency office or a leader may revoke a card."))
    with transaction.atomic():
        signal = Signal.objects.select_for_update().get(pk=signal.pk)
        if signal.revoked:
            return signal
        signal.revoked = True
        signal.save(update_fields=["revoked"])
        log_action(
            action="accountability.signal.revoke",
            obj=signal,
            actor=by,
            unit_id=signal.unit_id,
            summary={"level": signal.level, "reason": reason},
        )
    return signal


def _revoke_violation(violation: Violation, *, by: Actor, reason: str) -> None:
    violation = Violation.objects.select_for_update().get(pk=violation.pk)
    violation.status = Violation.Status.REVOKED
    violation.save(update_fields=["status"])
    for sanction in violation.sanctions.filter(revoked=False):
        sanction_revoke(sanction=sanction, by=by, reason=reason)
    log_action(
        action="accountability.violation.revoke",
        obj=violation,
        actor=by,
        summary={"reason": reason},
    )


def _send_back_violation(violation: Violation, *, by: Actor, reason: str) -> None:
    """Back to pending: the efficiency office reviews it again (grade and persons anew)."""
    violation = Violation.objects.select_for_update().get(pk=violation.pk)
    violation.status = Violation.Status.PENDING
    violation.save(update_fields=["status"])
    for sanction in violation.sanctions.filter(revoked=False):
        sanction_revoke(sanction=sanction, by=by, reason=reason)
    log_action(
        action="accountability.violation.send_back",
        obj=violation,
        actor=by,
        summary={"reason": reason},
    )


def appeal_decide(*, by: Actor, appeal: Appeal, outcome: str, note: str) -> Appeal:
    staff = require_staff(by)
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Please give the reasons for the decision."))
    outcomes = {
        Appeal.Status.REVOKED,
        Appeal.Status.SENT_BACK,
        Appeal.Status.ESCALATED,
        Appeal.Status.UPHELD,
    }
    if outcome not in outcomes:
        raise DomainError(_("Unknown decision."))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.status not in (Appeal.Status.PENDING, Appeal.Status.ESCALATED):
            raise DomainError(_("This appeal has already been decided."))
        if not appeal_may_decide(by, appeal):
            raise PermissionDenied(_("You may not decide this appeal."))
        if outcome == Appeal.Status.ESCALATED and (
            appeal.status == Appeal.Status.ESCALATED or appeal.target == Appeal.Target.SANCTION
        ):
            raise DomainError(_("This appeal is already with a leader."))
        if outcome == Appeal.Status.SENT_BACK and appeal.target == Appeal.Target.CARD:
            raise DomainError(_("A card cannot be sent back; revoke it or uphold it."))
        reason = f"appeal:{appeal.pk}"
        if outcome == Appeal.Status.REVOKED:
            if appeal.target == Appeal.Target.CARD:
                signal_revoke(by=by, signal=appeal.signal, reason=reason)
            elif appeal.target == Appeal.Target.VIOLATION:
                _revoke_violation(appeal.violation, by=by, reason=reason)
            else:
                sanction_revoke(sanction=appeal.sanction, by=by, reason=reason)
        elif outcome == Appeal.Status.SENT_BACK:
            if appeal.target == Appeal.Target.VIOLATION:
                _send_back_violation(appeal.violation, by=by, reason=reason)
            else:
                # The decider decides the sanction again on the still confirmed violation.
                sanction_revoke(sanction=appeal.sanction, by=by, reason=reason)
        appeal.status, previous = outcome, appeal.status
        # An escalated appeal keeps the office's escalation note above the leader's decision.
        appeal.decision_note = (
            f"{appeal.decision_note}\n---\n{note}" if previous == Appeal.Status.ESCALATED else note
        )
        appeal.decided_by = staff
        appeal.decided_at = timezone.now()
        appeal.save()
        log_action(
            action="accountability.appeal.decide",
            obj=appeal,
            actor=by,
            summary={"from": previous, "outcome": outcome, "target": appeal.target},
        )
        if outcome == Appeal.Status.ESCALATED:
            notify_people(
                _deciders(Role.LEADER),
                kind="accountability.appeal_escalated",
                subject=gettext("An appeal was escalated to you"),
                body=gettext("An escalated appeal awaits a leader's decision."),
                obj=appeal,
            )
        else:
            notify_people(
                [appeal.filed_by, appeal.person],
                kind="accountability.appeal_decided",
                subject=gettext("Your appeal was decided"),
                body=gettext("Decision: %(outcome)s.") % {"outcome": appeal.get_status_display()},
                obj=appeal,
            )
    return appeal
