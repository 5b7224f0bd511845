"""Retention: requester personal data anonymised after a period after closing; audit rows kept.

Statistics stay whole: only the requester's name, phone, e-mail and ID number are blanked; the
case, its category, unit, dates, timings and rating remain, and the tracking code still opens
the case on the portal (which never showed personal data).

The audit log is hash-chained: deleting its oldest rows would break ``audit verify``. This
service never deletes audit rows; it reports how many are past the retention period so an
operator can archive them with the chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce

from xiaoneng.audit.models import AuditEntry
from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import Case
from xiaoneng.cases.states import FINAL_STATES
from xiaoneng.notify.models import Notification
from xiaoneng.privacy import mask_email, mask_phone

PERSONAL_FIELDS = ("requester_name", "requester_phone", "requester_email", "requester_id_number")
# The keyed indexes of the phone and ID number go with them (update() bypasses the fields).
INDEX_FIELDS = ("requester_phone_index", "requester_id_index")


@dataclass(frozen=True)
class RetentionReport:
    cutoff: datetime
    cases_anonymised: int
    audit_cutoff: datetime
    audit_rows_past_retention: int
    notifications_blanked: int = 0
    audit_rows_deleted: int = 0


def _with_personal_data() -> Q:
    condition = Q()
    for field in PERSONAL_FIELDS:
        condition |= ~Q(**{field: ""})
    return condition


def _mask_notification_addresses(case_ids: list[int]) -> int:
    """Masks (not blanks: a notification must keep a recipient) the requester's address on the
    messages sent about these cases."""
    rows = (
        Notification.objects.select_for_update()
        .filter(object_type="cases.case", object_id__in=[str(pk) for pk in case_ids])
        .exclude(recipient_address="")
    )
    changed = 0
    for row in rows:
        address = row.recipient_address
        masked = mask_email(address) if "@" in address else mask_phone(address)
        if masked != address:
            row.recipient_address = masked
            row.save(update_fields=["recipient_address"])
            changed += 1
    return changed


def retention_run(*, now: datetime, dry_run: bool = False) -> RetentionReport:
    cutoff = now - timedelta(days=settings.XIAONENG_PERSONAL_DATA_RETENTION_DAYS)
    audit_cutoff = now - timedelta(days=settings.XIAONENG_AUDIT_RETENTION_DAYS)
    due = (
        Case.objects.filter(state__in=list(FINAL_STATES))
        .annotate(ended_at=Coalesce("closed_at", "updated_at"))
        .filter(ended_at__lt=cutoff)
        .filter(_with_personal_data())
    )
    with transaction.atomic():
        ids = list(due.select_for_update().values_list("pk", flat=True))
        blanked = 0
        if not dry_run and ids:
            Case.objects.filter(pk__in=ids).update(
                **dict.fromkeys(PERSONAL_FIELDS + INDEX_FIELDS, "")
            )
            # The SMS and e-mail sent to the requester carry the address too.
            blanked = _mask_notification_addresses(ids)
        old_audit = AuditEntry.objects.filter(created_at__lt=audit_cutoff).count()
        if not dry_run:
            log_action(
                action="security.retention_run",
                summary={
                    "cases_anonymised": len(ids),
                    "notifications_blanked": blanked,
                    "cutoff": cutoff.isoformat(),
                    "audit_rows_past_retention": old_audit,
                },
            )
    return RetentionReport(
        cutoff=cutoff,
        cases_anonymised=len(ids),
        notifications_blanked=blanked,
        audit_cutoff=audit_cutoff,
        audit_rows_past_retention=old_audit,
    )
