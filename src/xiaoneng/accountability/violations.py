"""Violations (效能问题): recording (automatic and manual), review, responsible persons."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from xiaoneng.accountability.descriptions import Described
from xiaoneng.accountability.models import DenialFiling, Violation, ViolationPerson
from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import Kind
from xiaoneng.cases.sweep_rows import array_literal
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.services import notify_people
from xiaoneng.org.models import Staff
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import require_staff, user_roles

# Appeals are filed within this many working days of the decision (see appeals.py).
APPEAL_WORKDAYS = 5

RECORDERS = frozenset({Role.INSPECTOR, Role.EFFICIENCY_OFFICE})


def _description(description: str | Described) -> dict[str, Any]:
    """The stored fields of a description: typed text as it is; a system's message with its
    parameters, beside its rendering in the office's default language."""
    if isinstance(description, Described):
        return {
            "description": description.stored(),
            "message": description.message,
            "message_params": dict(description.params),
        }
    return {"description": description, "message": "", "message_params": {}}


def _create_once(
    *,
    kind: str,
    source_key: str,
    description: str | Described,
    case: Any,
    department: Any,
    staff: Any,
    unit_id: int | None,
    actor: Any,
) -> tuple[Violation, bool]:
    existing = Violation.objects.filter(source_key=source_key).first()
    if existing is not None:
        return existing, False
    if unit_id is None:
        unit_id = _unit_of(case=case, department=department, staff=staff)
    try:
        with transaction.atomic():
            violation = Violation.objects.create(
                kind=kind,
                source_key=source_key,
                **_description(description),
                case=case,
                department=department,
                staff=staff,
                unit_id=unit_id,
                created_at=timezone.now(),
            )
    except IntegrityError:
        # Another process recorded it a moment ago.
        return Violation.objects.get(source_key=source_key), False
    log_action(
        action="accountability.violation.record",
        obj=violation,
        actor=actor,
        unit_id=unit_id,
        summary={"kind": kind, "source": source_key},
    )
    return violation, True


def _unit_of(*, case: Any, department: Any, staff: Any) -> int | None:
    for holder in (department, staff, case):
        unit_id = getattr(holder, "unit_id", None)
        if unit_id is not None:
            return unit_id
    return None


def violation_record_automatic(
    *,
    kind: str,
    source_key: str,
    description: Described,
    case: object | None = None,
    department: object | None = None,
    staff: object | None = None,
    unit_id: int | None = None,
) -> tuple[Violation, bool]:
    """Record the violation once per source; a repeated trigger returns the existing row. The
    description is a catalog message with its parameters, shown in each reader's language."""
    with transaction.atomic():
        return _create_once(
            kind=kind,
            source_key=source_key,
            description=description,
            case=case,
            department=department,
            staff=staff,
            unit_id=unit_id,
            actor=None,
        )


@dataclass(frozen=True)
class AutomaticViolation:
    """One violation a sweep found, to be recorded with the others of its batch."""

    kind: str
    source_key: str
    description: Described
    case: Any = None
    department: Any = None
    staff: Any = None
    unit_id: int | None = None


def violation_record_automatic_bulk(*, items: list[AutomaticViolation]) -> int:
    """Record many automatic violations at once, each still once per source, each with its
    audit row; returns how many were new. The sweeper's red cards come in batches: the rows
    are built as tuples (no ``Violation`` instances) and go in with multi-row
    ``INSERT … ON CONFLICT (source_key) DO NOTHING RETURNING``, which leaves out a source
    recorded before or by another process at the same moment and tells which went in."""
    if not items:
        return 0
    fresh = {item.source_key: item for item in items}
    at = timezone.now()
    columns, defaults = _violation_columns()
    # A batch's descriptions are a few messages without parameters: each rendered once.
    rendered: dict[str, dict[str, Any]] = {}
    rows, units = [], {}
    for item in fresh.values():
        text = item.description
        described = rendered.get(text.message) if not text.params else None
        if described is None:
            described = _description(text)
            described["message_params"] = json.dumps(described["message_params"])
            if not text.params:
                rendered[text.message] = described
        unit_id = item.unit_id
        if unit_id is None:
            unit_id = _unit_of(case=item.case, department=item.department, staff=item.staff)
        units[item.source_key] = unit_id
        values = {
            **defaults,
            **described,
            "kind": item.kind,
            "source_key": item.source_key,
            "case_id": getattr(item.case, "pk", None),
            "department_id": getattr(item.department, "pk", None),
            "staff_id": getattr(item.staff, "pk", None),
            "unit_id": unit_id,
            "created_at": at,
        }
        rows.append([values[column] for column in columns])
    inserted: dict[str, int] = {}
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    tail = "ON CONFLICT (source_key) DO NOTHING RETURNING id, source_key"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement per 1 000 rows, each column one array literal (``unnest``): the
            # values inlined one by one cost PostgreSQL three times as much to parse.
            types = _violation_types()
            for first in range(0, len(rows), 1000):
                chunk = rows[first : first + 1000]
                arrays = ", ".join(f"%s::{types[column]}[]" for column in columns)
                cursor.execute(
                    f"INSERT INTO {Violation._meta.db_table} ({names}) "
                    f"SELECT * FROM unnest({arrays}) {tail}",
                    [array_literal(column) for column in zip(*chunk, strict=True)],
                )
                inserted.update((key, pk) for pk, key in cursor.fetchall())
        else:
            adapt = connection.ops.adapt_datetimefield_value
            marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
            size = max(1, 900 // len(columns))  # SQLite's cap on a statement's parameters.
            for first in range(0, len(rows), size):
                chunk = rows[first : first + size]
                cursor.execute(
                    f"INSERT INTO {Violation._meta.db_table} ({names}) "
                    f"VALUES {', '.join([marks] * len(chunk))} {tail}",
                    [adapt(v) if isinstance(v, datetime) else v for row in chunk for v in row],
                )
                inserted.update((key, pk) for pk, key in cursor.fetchall())
        label = Violation._meta.label_lower
        for key, item in fresh.items():
            pk = inserted.get(key)
            if pk is None:
                continue  # Recorded before: audited then.
            log_action(
                action="accountability.violation.record",
                ref=(label, str(pk)),
                actor=None,
                unit_id=units[key],
                summary={"kind": item.kind, "source": key},
            )
    return len(inserted)


def _violation_columns() -> tuple[list[str], dict[str, Any]]:
    """Every column of a violation but the key, with what a new row stores by default (a
    column added later takes its model default without a change here)."""
    defaults: dict[str, Any] = {}
    for field in Violation._meta.concrete_fields:
        if field.primary_key:
            continue
        value = field.get_default() if field.has_default() else ("" if not field.null else None)
        defaults[field.column] = json.dumps(value) if isinstance(value, dict | list) else value
    return list(defaults), defaults


def _violation_types() -> dict[str, str]:
    """Each column's type in the database (``varchar(24)``, ``bigint``, ``jsonb`` …)."""
    return {
        field.column: field.db_type(connection) or "text"
        for field in Violation._meta.concrete_fields
        if not field.primary_key
    }


def _fields(item: AutomaticViolation) -> dict[str, Any]:
    return {name: getattr(item, name) for name in AutomaticViolation.__dataclass_fields__}


def violation_record_manual(
    *,
    by: Any,
    kind: str,
    description: str,
    source_key: str,
    unit_id: int | None = None,
    department: Any = None,
    staff: Any = None,
    case: Any = None,
) -> Violation:
    """An inspector or the efficiency office records a violation (inspection finding, conduct
    complaint finding). Pending until reviewed; once per ``source_key``."""
    if not user_roles(by) & RECORDERS:
        raise PermissionDenied(
            _("Only an inspector or the efficiency office may record a violation.")
        )
    if kind not in Violation.Kind.values:
        raise DomainError(_("Unknown violation kind."))
    if not (description or "").strip():
        raise DomainError(_("A description is required."))
    with transaction.atomic():
        violation, _created = _create_once(
            kind=kind,
            source_key=source_key,
            description=description.strip(),
            case=case,
            department=department,
            staff=staff,
            unit_id=unit_id,
            actor=by,
        )
    return violation


# -- review and evidence -------------------------------------------------------------------


def _locked(violation: Violation) -> Violation:
    return Violation.objects.select_for_update().get(pk=violation.pk)


def violation_review(
    *,
    by: Any,
    violation: Violation,
    confirm: bool,
    grade: str = "",
    persons: list[tuple[Staff, str]] | None = None,
    note: str = "",
) -> Violation:
    """The efficiency office confirms a pending violation (grade and persons responsible
    required) or dismisses it (reason required)."""
    staff = require_staff(by)
    if Role.EFFICIENCY_OFFICE not in user_roles(by):
        raise PermissionDenied(_("Only the efficiency office reviews violations."))
    note = (note or "").strip()
    persons = persons or []
    if confirm:
        if grade not in Violation.Grade.values:
            raise DomainError(_("Please choose the grade of the violation."))
        if not persons:
            raise DomainError(_("Please name at least one person responsible."))
        if any(part not in ViolationPerson.Part.values for _staff, part in persons):
            raise DomainError(_("Unknown part of a person responsible."))
    elif not note:
        raise DomainError(_("Please give the reason for dismissing the violation."))
    with transaction.atomic():
        violation = _locked(violation)
        if violation.status != Violation.Status.PENDING:
            raise DomainError(_("Only a pending violation can be reviewed."))
        violation.status = Violation.Status.CONFIRMED if confirm else Violation.Status.DISMISSED
        violation.grade = grade if confirm else ""
        violation.reviewed_by = staff
        violation.reviewed_at = timezone.now()
        violation.review_note = note
        violation.save()
        violation.parts.all().delete()
        if confirm:
            ViolationPerson.objects.bulk_create(
                ViolationPerson(violation=violation, staff=person, part=part)
                for person, part in dict.fromkeys(persons)
            )
        log_action(
            action="accountability.violation.review",
            obj=violation,
            actor=by,
            summary={
                "status": violation.status,
                "grade": violation.grade,
                "persons": [[person.pk, part] for person, part in persons] if confirm else [],
            },
        )
        if confirm:
            notify_people(
                [person for person, _part in persons],
                kind="accountability.violation_confirmed",
                subject=gettext("A violation naming you was confirmed"),
                body=gettext("Violation: %(kind)s. You may appeal within %(days)s working days.")
                % {"kind": violation.get_kind_display(), "days": APPEAL_WORKDAYS},
                obj=violation,
            )
    return violation


def violation_attach_evidence(
    *,
    by: Any,
    violation: Violation,
    signal: Any = None,
    inspection_ref: str = "",
    file: Any = None,
) -> Violation:
    """Link a card, an inspection finding or an uploaded file to a pending violation."""
    if not user_roles(by) & RECORDERS:
        raise PermissionDenied(_("Only an inspector or the efficiency office may add evidence."))
    with transaction.atomic():
        violation = _locked(violation)
        if violation.status != Violation.Status.PENDING:
            raise DomainError(_("Evidence can be added only while the violation is pending."))
        if signal is not None:
            if violation.case_id is not None and signal.case_id != violation.case_id:
                raise DomainError(_("The card belongs to another case."))
            violation.signal = signal
        if inspection_ref.strip():
            violation.inspection_ref = inspection_ref.strip()[:64]
        if file is not None:
            violation.evidence_file = file
        violation.save()
        log_action(
            action="accountability.violation.evidence",
            obj=violation,
            actor=by,
            summary={
                "signal": violation.signal_id,
                "inspection": violation.inspection_ref,
                "file": bool(file),
            },
        )
    return violation


def violation_record_unfiled_denial(*, case: Any, stage: str) -> Violation | None:
    """An application whose reply deadline passed without an overdue denial filing (否定报备)
    is an unfiled denial. Called by the case sweeper when the yellow card of a stage is raised."""

    if stage != "reply" or case.kind != Kind.APPLICATION:
        return None
    if case.denial_filings.filter(kind=DenialFiling.Kind.OVERDUE).exists():
        return None
    violation, _created = violation_record_automatic(
        kind=Violation.Kind.UNFILED_DENIAL,
        source_key=f"unfiled_denial:{case.pk}",
        description=Described(
            gettext_noop(
                "The promised time passed without a filing that the application cannot be "
                "finished in time."
            )
        ),
        case=case,
        department=case.lead_department,
        staff=case.handler,
        unit_id=case.unit_id,
    )
    return violation
