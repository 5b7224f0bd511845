"""Working the intake pool (待受理): accepting a pooled case and becoming its first contact.

Answering directly, dispatching and marking invalid from the pool (cases/services/intake.py)
take the case out of the pool through ``take_from_pool`` first, so every way out is recorded
the same way: who took it, in which capacity, and whether it was late.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases import clocks
from xiaoneng.cases.models import Case
from xiaoneng.cases.pool import in_pool, pool_duties
from xiaoneng.cases.services.steps import (
    is_efficiency_office,
    is_repeat,
    lock,
    now,
    record,
    require_staff,
    require_state,
)
from xiaoneng.errors import DomainError, PermissionDenied, lazy_format

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def _capacity(case: Case, by: User) -> dict[str, Any]:
    """How this person may take the case from its pool, or PermissionDenied."""
    staff = require_staff(by)
    for duty in pool_duties(staff):
        if duty.unit.pk == case.unit_id:
            data: dict[str, Any] = {"capacity": str(duty.acting.capacity)}
            if duty.acting.standing_in_for is not None:
                data["standing_in_for"] = duty.acting.standing_in_for.pk
            return data
    if is_efficiency_office(by):
        # Supervisors may step in; the event says so.
        return {"capacity": "efficiency_office"}
    raise PermissionDenied(
        _(
            "Only the unit's first-contact post may accept from its intake pool: its A holder, "
            "the B holder while A is away, or the department head while both are."
        )
    )


def take_from_pool(case: Case, *, by: User) -> Case:
    """Make ``by`` the first-contact officer of a pooled case the caller has locked; stops
    the pool clock and records the acceptance. Call inside the caller's transaction."""
    data = _capacity(case, by)
    at = now()
    data["late"] = clocks.is_overdue(case=case, stage=clocks.INTAKE, at=at)
    case.first_contact = require_staff(by)
    case.save(update_fields=["first_contact", "updated_at"])
    clocks.stop(case=case, stage=clocks.INTAKE, at=at, by=by)
    record(case, action="accept", user=by, from_state=case.state, data=data, at=at)
    return case


def case_accept(*, case: Case, by: User) -> Case:
    """受理: the pool's acting worker (or the efficiency office stepping in) accepts the case
    and becomes its first-contact officer. Exactly one of two acceptors at once wins."""
    staff = require_staff(by)
    with transaction.atomic():
        case = lock(case)
        if case.first_contact_id == staff.pk and is_repeat(case, "accept", by):
            return case
        require_state(case, "accept")
        if not in_pool(case):
            raise DomainError(
                lazy_format(
                    _("This case has already been accepted by %(name)s."),
                    {"name": case.first_contact},
                ),
                code="illegal_transition",
            )
        take_from_pool(case, by=by)
    return case
