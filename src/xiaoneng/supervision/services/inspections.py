"""Inspections (明察暗访): the record, its findings, evidence, and findings made violations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.accountability.services import violation_record_manual
from xiaoneng.audit.services import log_action
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Staff
from xiaoneng.supervision.models import Evidence, Finding, Inspection
from xiaoneng.supervision.permissions import require_any
from xiaoneng.web.uploads import check_upload

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor, User
    from xiaoneng.org.models import Department, Unit

INSPECTORS = frozenset({"inspector"})


def _require_inspector(by: Actor) -> None:
    require_any(by, INSPECTORS, _("Only an inspector may record inspections."))


def inspection_create(
    *,
    by: User,
    kind: str,
    date: date,
    place: str,
    unit: Unit,
    inspectors: Iterable[Staff],
    summary: str,
) -> Inspection:
    _require_inspector(by)
    if kind not in Inspection.Kind.values:
        raise DomainError(_("Choose an open or an unannounced inspection."))
    place, summary = (place or "").strip(), (summary or "").strip()
    if not place:
        raise DomainError(_("Please give the place inspected."))
    if not summary:
        raise DomainError(_("Please summarise the inspection."))
    if date > timezone.localdate():
        raise DomainError(_("An inspection cannot be recorded before it happens."))
    people = list(inspectors)
    if not people:
        raise DomainError(_("Name at least one inspector."))
    with transaction.atomic():
        inspection = Inspection.objects.create(
            kind=kind, date=date, place=place[:200], unit=unit, summary=summary, created_by=by
        )
        inspection.inspectors.set(people)
        log_action(
            action="supervision.inspection.create",
            obj=inspection,
            actor=by,
            unit_id=unit.pk,
            summary={
                "kind": kind,
                "date": date.isoformat(),
                "inspectors": [member.pk for member in people],
            },
        )
    return inspection


def finding_add(
    *,
    inspection: Inspection,
    by: User,
    type: str,
    description: str,
    staff: Staff | None = None,
    department: Department | None = None,
) -> Finding:
    """A finding about a person or a department of the unit visited."""
    _require_inspector(by)
    if type not in Finding.Type.values:
        raise DomainError(_("Unknown kind of finding."))
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Please describe the finding."))
    if staff is not None and staff.unit_id != inspection.unit_id:
        raise DomainError(_("The person must work in the unit visited."))
    if department is not None and department.unit_id != inspection.unit_id:
        raise DomainError(_("The department must belong to the unit visited."))
    if staff is not None and department is None:
        department = staff.department
    with transaction.atomic():
        finding = Finding.objects.create(
            inspection=inspection,
            type=type,
            description=description,
            staff=staff,
            department=department,
            created_by=by,
        )
        log_action(
            action="supervision.finding.add",
            obj=finding,
            actor=by,
            unit_id=inspection.unit_id,
            summary={
                "inspection": inspection.pk,
                "type": type,
                "staff": getattr(staff, "pk", None),
                "department": getattr(department, "pk", None),
            },
        )
    return finding


def evidence_add(
    *, inspection: Inspection, by: Actor, file: UploadedFile, finding: Finding | None = None
) -> Evidence:
    _require_inspector(by)
    if finding is not None and finding.inspection_id != inspection.pk:
        raise DomainError(_("That finding belongs to another inspection."))
    name, content_type, size = check_upload(file)
    with transaction.atomic():
        evidence = Evidence(
            inspection=inspection,
            finding=finding,
            name=name,
            content_type=content_type,
            size=size,
            uploaded_by=by,
        )
        evidence.file.save(name, file, save=False)
        evidence.save()
        log_action(
            action="supervision.evidence.add",
            obj=inspection,
            actor=by,
            unit_id=inspection.unit_id,
            summary={"evidence": evidence.pk, "size": size, "type": content_type},
        )
    return evidence


def finding_make_violation(*, finding: Finding, by: Actor) -> Any:
    """Turn the finding into a violation record (pending review in accountability), once."""
    _require_inspector(by)
    with transaction.atomic():
        finding = (
            Finding.objects.select_for_update(of=("self",))
            .select_related("inspection", "staff", "department")
            .get(pk=finding.pk)
        )
        if finding.violation_id is not None:
            raise DomainError(_("This finding is already a violation."))
        inspection = finding.inspection
        violation = violation_record_manual(
            by=by,
            kind="inspection",
            description=(
                f"{inspection.get_kind_display()} {inspection.date.isoformat()} "
                f"{inspection.place}: {finding.get_type_display()}. {finding.description}"
            ),
            source_key=f"inspection-finding:{finding.pk}",
            unit_id=inspection.unit_id,
            department=finding.department,
            staff=finding.staff,
        )
        finding.violation_id = violation.pk
        finding.save(update_fields=["violation_id"])
        log_action(
            action="supervision.finding.violation",
            obj=finding,
            actor=by,
            unit_id=inspection.unit_id,
            summary={"inspection": inspection.pk, "violation": violation.pk},
        )
    return violation
