"""Denial filings (否定报备): every refusal is filed with reason and legal basis and reviewed.

Refusing to accept an application, refusing a licence, or being unable to finish within the
promised time creates a filing in the same transaction as the refusal (the application services
refuse to save a refusal otherwise). The efficiency office reviews each filing within its own
deadline (``REVIEW_WORKDAYS`` working days, a local default): upheld, or overturned with an
instruction to the unit.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.accountability.models import DenialFiling
from xiaoneng.audit.services import log_action
from xiaoneng.cases.notifications import department_people, notify_staff
from xiaoneng.cases.services.events import case_event_record
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.roles import Role
from xiaoneng.org.scope import has_any_role
from xiaoneng.org.selectors import require_staff
from xiaoneng.workdays.deadlines import deadline_compute

REVIEW_WORKDAYS = 5


def denial_filing_create(
    *,
    case: Any,
    kind: str,
    handler: Any,
    matter: str,
    reason: str,
    basis: str,
    head_opinion: str = "",
    by: Any = None,
) -> DenialFiling:
    """File a refusal. Called by the refusing service inside its own transaction."""
    reason, basis = (reason or "").strip(), (basis or "").strip()
    if not reason:
        raise DomainError(_("A refusal needs its reason."))
    if not basis:
        raise DomainError(_("A refusal needs its legal basis."))
    if kind not in DenialFiling.Kind.values:
        raise DomainError(_("Unknown kind of refusal."))
    at = timezone.now()
    due = deadline_compute(start=at, limit=REVIEW_WORKDAYS, unit_id=case.unit_id).due_at
    with transaction.atomic():
        filing = DenialFiling.objects.create(
            case=case,
            kind=kind,
            unit_id=case.unit_id,
            department=case.lead_department,
            handler=handler,
            applicant=case.requester_name,
            matter=matter[:200],
            reason=reason,
            basis=basis,
            head_opinion=(head_opinion or "").strip(),
            filed_at=at,
            review_due_at=due,
        )
        log_action(
            action="accountability.denial_filing.create",
            obj=filing,
            actor=by,
            unit_id=case.unit_id,
            summary={"case": case.number, "kind": kind},
        )
    return filing


def denial_filing_review(
    *, filing: DenialFiling, upheld: bool, instruction: str = "", by: Any
) -> DenialFiling:
    """The efficiency office upholds the refusal or overturns it with an instruction."""
    instruction = (instruction or "").strip()
    staff = require_staff(by)
    if not has_any_role(by, (Role.EFFICIENCY_OFFICE,)):
        raise PermissionDenied(_("Only the efficiency office reviews denial filings."))
    if not upheld and not instruction:
        raise DomainError(_("Overturning a refusal needs an instruction to the unit."))
    with transaction.atomic():
        filing = DenialFiling.objects.select_for_update().select_related("case").get(pk=filing.pk)
        status = DenialFiling.Status.UPHELD if upheld else DenialFiling.Status.OVERTURNED
        if filing.status == status and filing.instruction == instruction:
            return filing  # A repeated identical request.
        if filing.status != DenialFiling.Status.PENDING:
            raise DomainError(_("This denial filing has already been reviewed."))
        at = timezone.now()
        filing.status = status
        filing.instruction = instruction
        filing.reviewed_by = staff
        filing.reviewed_at = at
        filing.reviewed_late = at > filing.review_due_at
        filing.save()
        case = filing.case
        case_event_record(
            case,
            action="denial_filing_reviewed",
            user=by,
            from_state=case.state,
            note=instruction,
            data={"filing": filing.pk, "status": status},
            public=False,
            at=at,
        )
        log_action(
            action="accountability.denial_filing.review",
            obj=filing,
            actor=by,
            unit_id=filing.unit_id,
            summary={"case": case.number, "status": status, "late": filing.reviewed_late},
        )
        if not upheld:
            notify_staff(
                case,
                department_people(case, case.lead_department),
                kind="application.refusal_overturned",
                subject=str(_("A refusal was overturned by the efficiency office")),
            )
    return filing
