"""Conduct complaints (效能投诉): intake by the efficiency office (or conversion of a portal
complaint naming a person), acceptance within ``ACCEPT_WORKDAYS``, investigation by an inspector
within ``INVESTIGATE_WORKDAYS`` (extendable once by the same), finding → violation.

Confidentiality: complainant data stays on the ConductComplaint row, which only the efficiency
office and inspectors can open. Nothing sent to the unit or the person complained about carries
it: they learn only the finding text, through the violation it creates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.accountability.models import ConductComplaint, Violation
from xiaoneng.accountability.violations import violation_record_manual
from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import Case, Kind
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.services import notify_people
from xiaoneng.org.models import Department, Staff, Unit
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import require_staff, user_roles
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.periods import Counting
from xiaoneng.workdays.selectors import clock_open_for
from xiaoneng.workdays.services.clocks import clock_extend, clock_start, clock_stop

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor, User

ACCEPT_WORKDAYS = 7
INVESTIGATE_WORKDAYS = 30
OWNER = "accountability.conductcomplaint"
ACCEPT_STAGE = Clock.Stage.ACCEPTANCE.value
# The workdays app has no "investigation" stage; the owner type keeps these clocks apart.
INVESTIGATE_STAGE = Clock.Stage.SUPERVISION.value


def _require(by: User, role: str, message: Any) -> Staff:
    staff = require_staff(by)
    if role not in user_roles(by):
        raise PermissionDenied(message)
    return staff


def _office(by: User) -> Staff:
    return _require(
        by, Role.EFFICIENCY_OFFICE, _("Only the efficiency office handles conduct complaints.")
    )


def _start(complaint: ConductComplaint, stage: str, limit: int, by: Actor) -> Clock:
    return clock_start(
        owner_type=OWNER,
        owner_id=complaint.pk,
        stage=stage,
        counting=Counting.WORKDAYS,
        limit=limit,
        unit_id=complaint.unit_id,
        by=by,
    )


def conduct_clock(complaint: ConductComplaint) -> Clock | None:
    """The running clock: acceptance, else investigation."""
    for stage in (ACCEPT_STAGE, INVESTIGATE_STAGE):
        clock = clock_open_for(owner_type=OWNER, owner_id=complaint.pk, stage=stage)
        if clock is not None:
            return clock
    return None


def _stop(complaint: ConductComplaint, stage: str, by: Actor) -> None:
    clock = clock_open_for(owner_type=OWNER, owner_id=complaint.pk, stage=stage)
    if clock is not None:
        clock_stop(clock=clock, by=by)


def _check_target(unit: Unit, department: Department | None, staff: Staff | None) -> None:
    if department is not None and department.unit_id != unit.pk:
        raise DomainError(_("The department is not part of that unit."))
    if staff is not None and staff.unit_id != unit.pk:
        raise DomainError(_("The person complained about is not in that unit."))


def _create(*, by: Actor, received_by: Staff, **fields: Any) -> ConductComplaint:
    complaint = ConductComplaint.objects.create(
        received_by=received_by, received_at=timezone.now(), **fields
    )
    _start(complaint, ACCEPT_STAGE, ACCEPT_WORKDAYS, by)
    # No complainant data in the audit summary (personal data rule).
    log_action(
        action="accountability.conduct.intake",
        obj=complaint,
        actor=by,
        unit_id=complaint.unit_id,
        summary={"case": complaint.source_case_id, "staff": complaint.staff_id},
    )
    return complaint


def conduct_intake(
    *,
    by: User,
    content: str,
    unit: Unit,
    complainant_name: str = "",
    complainant_phone: str = "",
    department: Department | None = None,
    staff: Staff | None = None,
    person_name: str = "",
) -> ConductComplaint:
    received_by = _office(by)
    content = (content or "").strip()
    if not content:
        raise DomainError(_("Please enter what the complaint is about."))
    if staff is None and not (person_name or "").strip() and department is None:
        raise DomainError(_("Please name the person or department complained about."))
    _check_target(unit, department, staff)
    with transaction.atomic():
        return _create(
            by=by,
            received_by=received_by,
            complainant_name=(complainant_name or "").strip(),
            complainant_phone=(complainant_phone or "").strip(),
            content=content,
            unit=unit,
            department=department or (staff.department if staff else None),
            staff=staff,
            person_name=(person_name or "").strip() or (staff.name if staff else ""),
        )


def conduct_convert_case(
    *, by: User, case: Case, staff: Staff | None = None, department: Department | None = None
) -> ConductComplaint:
    """转为效能投诉: a complaint case naming a person becomes a conduct complaint (once)."""
    received_by = _office(by)
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("unit", "unit_concerned")
            .get(pk=case.pk)
        )
        existing = ConductComplaint.objects.filter(source_case=case).first()
        if existing is not None:
            return existing
        if case.kind != Kind.COMPLAINT:
            raise DomainError(_("Only a complaint can become a conduct complaint."))
        if not case.person_concerned and staff is None:
            raise DomainError(_("The complaint names no person."))
        unit = case.unit_concerned or (staff.unit if staff else None) or case.unit
        _check_target(unit, department, staff)
        return _create(
            by=by,
            received_by=received_by,
            complainant_name=case.requester_name,
            complainant_phone=case.requester_phone,
            content=case.content,
            unit=unit,
            department=department or (staff.department if staff else None),
            staff=staff,
            person_name=case.person_concerned or (staff.name if staff else ""),
            source_case=case,
        )


def _locked(complaint: ConductComplaint) -> ConductComplaint:
    return ConductComplaint.objects.select_for_update().get(pk=complaint.pk)


def conduct_accept(
    *,
    by: User,
    complaint: ConductComplaint,
    accept: bool,
    note: str = "",
    investigator: Staff | None = None,
) -> ConductComplaint:
    _office(by)
    note = (note or "").strip()
    if not accept and not note:
        raise DomainError(_("Please give the reason for not accepting the complaint."))
    if accept and (investigator is None or Role.INSPECTOR not in user_roles(investigator.user)):
        raise DomainError(_("Please choose an inspector to investigate."))
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.status != ConductComplaint.Status.RECEIVED:
            raise DomainError(_("Acceptance has already been decided."))
        _stop(complaint, ACCEPT_STAGE, by)
        complaint.accepted_at = timezone.now()
        complaint.acceptance_note = note
        if accept:
            complaint.status = ConductComplaint.Status.INVESTIGATING
            complaint.investigator = investigator
            _start(complaint, INVESTIGATE_STAGE, INVESTIGATE_WORKDAYS, by)
        else:
            complaint.status = ConductComplaint.Status.NOT_ACCEPTED
        complaint.save()
        log_action(
            action="accountability.conduct.accept",
            obj=complaint,
            actor=by,
            unit_id=complaint.unit_id,
            summary={
                "accepted": accept,
                "investigator": investigator.pk if accept else None,  # type: ignore[union-attr]
            },
        )
        if accept:
            notify_people(
                [investigator],
                kind="accountability.conduct_assigned",
                subject=gettext("A conduct complaint is yours to investigate"),
                body=gettext("Investigate within %(days)s working days.")
                % {"days": INVESTIGATE_WORKDAYS},
                obj=complaint,
            )
    return complaint


def _investigator(by: User, complaint: ConductComplaint) -> Staff:
    staff = _require(by, Role.INSPECTOR, _("Only the inspector investigates conduct complaints."))
    if complaint.investigator_id not in (None, staff.pk):
        raise PermissionDenied(_("Another inspector investigates this complaint."))
    return staff


def conduct_extend(*, by: User, complaint: ConductComplaint, reason: str) -> ConductComplaint:
    """Extend the investigation once, by another ``INVESTIGATE_WORKDAYS`` (30 → 60)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Please give the reason for the extension."))
    with transaction.atomic():
        complaint = _locked(complaint)
        _investigator(by, complaint)
        if complaint.status != ConductComplaint.Status.INVESTIGATING:
            raise DomainError(_("Only an investigation in progress can be extended."))
        if complaint.extended:
            raise DomainError(_("The investigation has already been extended once."))
        clock = clock_open_for(owner_type=OWNER, owner_id=complaint.pk, stage=INVESTIGATE_STAGE)
        if clock is None:
            raise DomainError(_("The investigation has no running clock."))
        clock_extend(clock=clock, units=INVESTIGATE_WORKDAYS, reason=reason, by=by)
        complaint.extended = True
        complaint.save(update_fields=["extended"])
        log_action(
            action="accountability.conduct.extend",
            obj=complaint,
            actor=by,
            unit_id=complaint.unit_id,
            summary={"units": INVESTIGATE_WORKDAYS},
        )
    return complaint


def conduct_find(
    *, by: User, complaint: ConductComplaint, substantiated: bool, finding: str
) -> ConductComplaint:
    """The inspector's finding. A substantiated complaint becomes a pending violation whose
    description is the finding text only; the person concerned is told that text, nothing more."""
    finding = (finding or "").strip()
    if not finding:
        raise DomainError(_("Please write the finding."))
    with transaction.atomic():
        complaint = _locked(complaint)
        _investigator(by, complaint)
        if complaint.status != ConductComplaint.Status.INVESTIGATING:
            raise DomainError(_("Only a complaint under investigation can be concluded."))
        if substantiated and complaint.staff_id is None and complaint.department_id is None:
            raise DomainError(_("Name the person or department before substantiating."))
        _stop(complaint, INVESTIGATE_STAGE, by)
        complaint.finding = finding
        complaint.found_at = timezone.now()
        complaint.status = (
            ConductComplaint.Status.SUBSTANTIATED
            if substantiated
            else ConductComplaint.Status.NOT_SUBSTANTIATED
        )
        if substantiated:
            complaint.violation = violation_record_manual(
                by=by,
                kind=Violation.Kind.CONDUCT,
                description=finding,
                source_key=f"conduct:{complaint.pk}",
                unit_id=complaint.unit_id,
                department=complaint.department,
                staff=complaint.staff,
            )
        complaint.save()
        log_action(
            action="accountability.conduct.find",
            obj=complaint,
            actor=by,
            unit_id=complaint.unit_id,
            summary={"substantiated": substantiated, "violation": complaint.violation_id},
        )
        if complaint.violation is not None and complaint.staff is not None:
            notify_people(
                [complaint.staff],
                kind="accountability.conduct_finding",
                subject=gettext("A finding concerning you was recorded"),
                body=finding,
                obj=complaint.violation,
            )
    return complaint
