"""Sanctions: decided (never automatic) by an inspector or a leader on a confirmed violation,
on the ladder 不予评优 → 通报批评 → 诫勉谈话 → 效能告诫 → 调离/离岗培训 → 移送纪检.

The suggestion rule (``sanction_suggest``), kept deliberately simple:

* the starting rung follows the grade: general → 不予评优, serious → 诫勉谈话,
  especially serious → 效能告诫;
* each OTHER confirmed violation of the same person in the 12 months before this one moves the
  suggestion one rung up;
* it is never below the rung just above the heaviest sanction (not revoked) the person received
  in those 12 months;
* it stops at 移送纪检 (referral for disciplinary action).

The decider may choose any rung; the suggestion is stored next to the decision.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.accountability.models import LADDER, Sanction, Violation
from xiaoneng.accountability.violations import APPEAL_WORKDAYS
from xiaoneng.audit.services import log_action
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.services import notify_people
from xiaoneng.org.models import Staff
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import require_staff, user_roles

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor, User

DECIDERS = frozenset({Role.INSPECTOR, Role.LEADER})
RECORD_WINDOW = timedelta(days=365)
GRADE_START: dict[str, int] = {
    Violation.Grade.GENERAL: 0,
    Violation.Grade.SERIOUS: 2,
    Violation.Grade.ESPECIALLY_SERIOUS: 3,
}


def _person_violations(staff: Staff) -> Any:
    return Violation.objects.filter(
        Q(staff=staff) | Q(parts__staff=staff), status=Violation.Status.CONFIRMED
    ).distinct()


def sanction_suggest(*, staff: Staff, violation: Violation, at: datetime | None = None) -> str:
    """The suggested measure for ``staff`` on ``violation`` (see the module's rule)."""
    at = at or violation.created_at or timezone.now()
    since = at - RECORD_WINDOW
    rung = GRADE_START.get(violation.grade, 0)
    others = (
        _person_violations(staff)
        .exclude(pk=violation.pk)
        .filter(created_at__gte=since, created_at__lte=at)
        .count()
    )
    rung += others
    earlier = Sanction.objects.filter(
        staff=staff, revoked=False, decided_at__gte=since, decided_at__lte=timezone.now()
    ).exclude(violation=violation)
    for measure in earlier.values_list("measure", flat=True):
        rung = max(rung, LADDER.index(measure) + 1)
    suggested: str = LADDER[min(rung, len(LADDER) - 1)]
    return suggested


def sanction_decide(
    *,
    by: User,
    violation: Violation,
    staff: Staff,
    measure: str,
    reason: str,
    aggravating: str = "",
    mitigating: str = "",
) -> Sanction:
    decider = require_staff(by)
    if not user_roles(by) & DECIDERS:
        raise PermissionDenied(_("Only an inspector or a leader decides sanctions."))
    if measure not in LADDER:
        raise DomainError(_("Unknown sanction."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Please give the reason for the sanction."))
    with transaction.atomic():
        violation = Violation.objects.select_for_update().get(pk=violation.pk)
        if violation.status != Violation.Status.CONFIRMED:
            raise DomainError(_("Only a confirmed violation can be sanctioned."))
        responsible = {violation.staff_id, *violation.parts.values_list("staff_id", flat=True)}
        if staff.pk not in responsible:
            raise DomainError(_("The person is not responsible for this violation."))
        if Sanction.objects.filter(violation=violation, staff=staff, revoked=False).exists():
            raise DomainError(_("This person already has a sanction for this violation."))
        sanction = Sanction.objects.create(
            violation=violation,
            staff=staff,
            unit_id=staff.unit_id,
            measure=measure,
            suggested=sanction_suggest(staff=staff, violation=violation),
            aggravating=(aggravating or "").strip(),
            mitigating=(mitigating or "").strip(),
            reason=reason,
            decided_by=decider,
            decided_at=timezone.now(),
        )
        log_action(
            action="accountability.sanction.decide",
            obj=sanction,
            actor=by,
            summary={
                "violation": violation.pk,
                "staff": staff.pk,
                "measure": measure,
                "suggested": sanction.suggested,
            },
        )
        notify_people(
            [staff],
            kind="accountability.sanction",
            subject=gettext("A sanction was decided concerning you"),
            body=gettext("Sanction: %(measure)s. You may appeal within %(days)s working days.")
            % {"measure": sanction.get_measure_display(), "days": APPEAL_WORKDAYS},
            obj=sanction,
        )
    return sanction


def sanction_revoke(*, sanction: Sanction, by: Actor, reason: str) -> Sanction:
    """Mark a sanction revoked. Only an appeal decision calls this (inside its transaction)."""
    sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
    if sanction.revoked:
        return sanction
    sanction.revoked = True
    sanction.revoked_at = timezone.now()
    sanction.save(update_fields=["revoked", "revoked_at"])
    log_action(
        action="accountability.sanction.revoke",
        obj=sanction,
        actor=by,
        summary={"reason": reason},
    )
    return sanction
