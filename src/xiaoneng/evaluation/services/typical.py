"""Typical cases (典型案例) and good practices (好做法): drafted by the efficiency office,
approved by a leader, published on the portal and in the bulletins, withdrawn with a reason.

Personal data is removed when the draft is written (``privacy.redact``: the requester, the
person concerned and the persons responsible by name, and every phone, ID number and e-mail).
A typical case names the unit only where the decision says so: a sanction of public criticism
(通报批评) decided on the violation. A good practice names the unit that did well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.accountability.models import Sanction, Violation
from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import Case, Satisfaction
from xiaoneng.cases.states import State as CaseState
from xiaoneng.errors import DomainError
from xiaoneng.evaluation.models import TypicalCase
from xiaoneng.evaluation.services._common import require_role
from xiaoneng.org.models import Department, Unit
from xiaoneng.org.roles import Role
from xiaoneng.privacy import case_names, redact

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def naming_allowed(violation: Violation) -> bool:
    """Whether the decision on the violation names the unit publicly (通报批评)."""
    return Sanction.objects.filter(violation=violation, measure=Sanction.Measure.CRITICISM).exists()


def _unit_name(unit_id: int | None, department_id: int | None) -> str:
    if department_id is not None:
        department = Department.objects.select_related("unit").filter(pk=department_id).first()
        if department is not None:
            return f"{department.unit.short_name or department.unit.name}{department.name}"
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
    return unit.name if unit else ""


def _names(violation: Violation | None, case: Case | None) -> list[str]:
    names = list(case_names(case)) if case is not None else []
    if violation is not None:
        people = [violation.staff, *violation.persons.all()]
        names += [str(p.user.full_name or "") for p in people if p is not None]
    return names


def typical_draft(
    *,
    by: User,
    kind: str,
    title: str,
    facts: str,
    handling: str,
    lesson: str,
    violation: Violation | None = None,
    case: Case | None = None,
    name_unit: bool = False,
) -> TypicalCase:
    staff = require_role(by, Role.EFFICIENCY_OFFICE)
    if kind == TypicalCase.Kind.TYPICAL:
        if violation is None or violation.status != Violation.Status.CONFIRMED:
            raise DomainError(_("A typical case is drafted from a confirmed violation."))
        case = violation.case
        if name_unit and not naming_allowed(violation):
            raise DomainError(
                _("The unit may be named only where the decision says so (public criticism).")
            )
        unit_id, department_id = violation.unit_id, violation.department_id
    elif kind == TypicalCase.Kind.GOOD:
        if case is None or case.state != CaseState.CLOSED:
            raise DomainError(_("A good practice is drafted from a closed case."))
        if case.satisfaction != Satisfaction.SATISFIED:
            raise DomainError(
                _("A good practice is drafted from a case the requester was satisfied with.")
            )
        violation, unit_id, department_id = None, case.unit_id, case.lead_department_id
    else:
        raise DomainError(_("Unknown kind of typical case."))
    if not all(text.strip() for text in (title, facts, handling, lesson)):
        raise DomainError(_("Fill in the title, the facts, the handling and the lesson."))
    names = _names(violation, case)
    with transaction.atomic():
        typical = TypicalCase.objects.create(
            kind=kind,
            title=redact(title.strip(), names)[:120],
            facts=redact(facts.strip(), names),
            handling=redact(handling.strip(), names),
            lesson=redact(lesson.strip(), names),
            violation=violation,
            case=case,
            unit_id=unit_id,
            unit_named=_unit_name(unit_id, department_id) if name_unit else "",
            created_by=staff,
            created_at=timezone.now(),
        )
        log_action(
            action="evaluation.typical_draft",
            obj=typical,
            actor=by,
            unit_id=unit_id,
            summary={"kind": kind, "unit_named": bool(typical.unit_named)},
        )
    return typical


def _locked(typical: TypicalCase) -> TypicalCase:
    return TypicalCase.objects.select_for_update().get(pk=typical.pk)


def typical_approve(*, by: User, typical: TypicalCase) -> TypicalCase:
    staff = require_role(by, Role.LEADER)
    with transaction.atomic():
        typical = _locked(typical)
        if typical.state != TypicalCase.State.DRAFT:
            raise DomainError(_("Only a draft can be approved."))
        typical.state = TypicalCase.State.APPROVED
        typical.approved_by, typical.approved_at = staff, timezone.now()
        typical.save(update_fields=["state", "approved_by", "approved_at"])
        log_action(
            action="evaluation.typical_approve", obj=typical, actor=by, unit_id=typical.unit_id
        )
    return typical


def typical_publish(*, by: User, typical: TypicalCase) -> TypicalCase:
    require_role(by, Role.EFFICIENCY_OFFICE, Role.LEADER)
    with transaction.atomic():
        typical = _locked(typical)
        if typical.state != TypicalCase.State.APPROVED:
            raise DomainError(_("A typical case is published once a leader has approved it."))
        typical.state, typical.published_at = TypicalCase.State.PUBLISHED, timezone.now()
        typical.save(update_fields=["state", "published_at"])
        log_action(
            action="evaluation.typical_publish", obj=typical, actor=by, unit_id=typical.unit_id
        )
    return typical


def typical_withdraw(*, by: User, typical: TypicalCase, reason: str) -> TypicalCase:
    """Take a published (or approved) case off the portal and out of later bulletins."""
    require_role(by, Role.EFFICIENCY_OFFICE, Role.LEADER)
    if not reason.strip():
        raise DomainError(_("Give the reason for the withdrawal."))
    with transaction.atomic():
        typical = _locked(typical)
        if typical.state not in (TypicalCase.State.APPROVED, TypicalCase.State.PUBLISHED):
            raise DomainError(_("Only an approved or published case can be withdrawn."))
        previous = typical.state
        typical.state, typical.withdrawn_at = TypicalCase.State.WITHDRAWN, timezone.now()
        typical.withdrawal_reason = reason.strip()
        typical.save(update_fields=["state", "withdrawn_at", "withdrawal_reason"])
        log_action(
            action="evaluation.typical_withdraw",
            obj=typical,
            actor=by,
            unit_id=typical.unit_id,
            summary={"from": previous, "reason": typical.withdrawal_reason[:200]},
        )
    return typical
