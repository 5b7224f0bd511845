"""Recording violations. Automatic triggers call this inside their own transaction."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from xiaoneng.accountability.models import Violation
from xiaoneng.audit.services import log_action


def violation_record_automatic(
    *,
    kind: str,
    source_key: str,
    description: str,
    case: object | None = None,
    department: object | None = None,
    staff: object | None = None,
    unit_id: int | None = None,
) -> tuple[Violation, bool]:
    """Record the violation once per source; a repeated trigger returns the existing row."""
    with transaction.atomic():
        existing = Violation.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                violation = Violation.objects.create(
                    kind=kind,
                    source_key=source_key,
                    description=description,
                    case=case,
                    department=department,
                    staff=staff,
                    unit_id=unit_id,
                    created_at=timezone.now(),
                )
        except IntegrityError:
            # Another sweeper recorded it a moment ago.
            return Violation.objects.get(source_key=source_key), False
        log_action(
            action="accountability.violation.record",
            obj=violation,
            actor=None,
            unit_id=unit_id,
            summary={"kind": kind, "source": source_key},
        )
    return violation, True
