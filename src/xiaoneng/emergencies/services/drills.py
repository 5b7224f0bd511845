"""Emergency plans (应急预案), drills (演练) and the bureau's drill requirements. Each change
with its audit row in the same transaction; refusals as translated ``DomainError``s."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.emergencies.models_safety import (
    Drill,
    DrillRequirement,
    DrillType,
    EmergencyPlan,
    PlanType,
)
from xiaoneng.emergencies.selectors_rosters import sees_all_safety
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.models import Staff, Unit
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import require_staff, user_roles
from xiaoneng.web.uploads import check_upload


def _recorder(by: Any, unit: Unit | None) -> tuple[Staff, Unit]:
    """Staff record for their own unit; the bureau's safety readers for any unit."""
    staff = require_staff(by)
    unit = unit or staff.unit
    if unit.pk != staff.unit_id and not sees_all_safety(by):
        raise PermissionDenied(_("You can record plans and drills of your own unit only."))
    return staff, unit


def plan_add(
    *,
    by: Any,
    title: str,
    type: str,
    version: str,
    approved_on: date,
    approved_by: str,
    document: UploadedFile,
    unit: Unit | None = None,
    at: datetime | None = None,
) -> EmergencyPlan:
    """A version of an emergency plan with its approved document (PDF, DOCX …, checked by its
    content). A new version of the same title is a new row."""
    at = at or timezone.now()
    staff, unit = _recorder(by, unit)
    title, version, approved_by = title.strip(), version.strip(), approved_by.strip()
    if type not in PlanType.values:
        raise DomainError(_("Choose the type of the plan."))
    if not (title and version and approved_by):
        raise DomainError(_("Give the plan's title, version and who approved it."))
    if approved_on > timezone.localdate(at):
        raise DomainError(_("The approval date cannot be in the future."))
    if EmergencyPlan.objects.filter(unit=unit, title=title, version=version).exists():
        raise DomainError(_("This version of the plan is already on record."))
    name, content_type, _size = check_upload(document)
    plan = EmergencyPlan(
        unit=unit,
        title=title,
        type=type,
        version=version,
        approved_on=approved_on,
        approved_by=approved_by,
        document=document,
        document_name=name,
        document_type=content_type,
        recorded_by=staff,
        recorded_at=at,
    )
    with transaction.atomic():
        plan.save()
        log_action(
            action="emergencies.plan.add",
            obj=plan,
            actor=by,
            unit_id=unit.pk,
            summary={"title": title, "version": version, "type": type},
        )
    return plan


def drill_record(
    *,
    by: Any,
    held_on: date,
    type: str,
    participants: int,
    evaluation: str,
    plan: EmergencyPlan | None = None,
    unit: Unit | None = None,
    at: datetime | None = None,
) -> Drill:
    """A drill the unit held, with the number taking part and its evaluation."""
    at = at or timezone.now()
    staff, unit = _recorder(by, unit)
    if type not in DrillType.values:
        raise DomainError(_("Choose the type of the drill."))
    if held_on > timezone.localdate(at):
        raise DomainError(_("A drill is recorded after it was held."))
    if participants is None or participants <= 0:
        raise DomainError(_("Give the number of people who took part."))
    if not (evaluation or "").strip():
        raise DomainError(_("Write the evaluation of the drill."))
    if plan is not None and plan.unit_id != unit.pk:
        raise DomainError(_("Choose a plan of the same unit."))
    with transaction.atomic():
        drill = Drill.objects.create(
            unit=unit,
            held_on=held_on,
            type=type,
            participants=participants,
            evaluation=evaluation.strip(),
            plan=plan,
            recorded_by=staff,
            recorded_at=at,
        )
        log_action(
            action="emergencies.drill.record",
            obj=drill,
            actor=by,
            unit_id=unit.pk,
            summary={"type": type, "held_on": held_on.isoformat(), "participants": participants},
        )
    return drill


def _require_setter(by: Any) -> None:
    roles = user_roles(by)
    if Role.EFFICIENCY_OFFICE in roles or (sees_all_safety(by) and Role.LEADER not in roles):
        return
    raise PermissionDenied(
        _("Only the efficiency office or the safety department set drill requirements.")
    )


def requirement_set(
    *, by: Any, type: str, per: str, minimum: int, at: datetime | None = None
) -> DrillRequirement:
    """At least ``minimum`` drills of ``type`` per term or school year, for every school;
    setting it again for the same type and period changes the number."""
    at = at or timezone.now()
    _require_setter(by)
    if type not in DrillType.values or per not in DrillRequirement.Per.values:
        raise DomainError(_("Choose the type of drill and the period."))
    if minimum is None or not 0 < minimum <= 20:
        raise DomainError(_("The number of drills must be between 1 and 20."))
    with transaction.atomic():
        requirement, created = DrillRequirement.objects.update_or_create(
            type=type, per=per, defaults={"minimum": minimum, "set_by": by, "set_at": at}
        )
        log_action(
            action="emergencies.requirement.set",
            obj=requirement,
            actor=by,
            summary={"type": type, "per": per, "minimum": minimum, "new": created},
        )
    return requirement


def requirement_remove(*, by: Any, requirement: DrillRequirement) -> None:
    _require_setter(by)
    with transaction.atomic():
        log_action(
            action="emergencies.requirement.remove",
            obj=requirement,
            actor=by,
            summary={"type": requirement.type, "per": requirement.per},
        )
        requirement.delete()
