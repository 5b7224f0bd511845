"""Reading and checking the audit chain."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from xiaoneng.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry
from xiaoneng.audit.services import entry_content_hash


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    rows: int
    broken_id: int | None = None
    reason: str = ""


def audit_chain_verify(*, chunk_size: int = 5000) -> ChainReport:
    """Recompute every hash in order; name the first row that does not fit the chain."""
    expected_prev = GENESIS_HASH
    rows = 0
    last_id = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=chunk_size):
        rows += 1
        last_id = entry.pk
        if entry.prev_hash != expected_prev:
            reason = _("its predecessor was altered or deleted")
            return ChainReport(ok=False, rows=rows, broken_id=entry.pk, reason=reason)
        if entry_content_hash(entry) != entry.entry_hash:
            reason = _("its content was altered")
            return ChainReport(ok=False, rows=rows, broken_id=entry.pk, reason=reason)
        expected_prev = entry.entry_hash
    head = AuditChainHead.objects.filter(pk=1).first()
    head_count = head.count if head else 0
    head_hash = head.last_hash if head else GENESIS_HASH
    if head_count != rows or head_hash != expected_prev:
        reason = _("rows were removed from the end of the chain")
        return ChainReport(ok=False, rows=rows, broken_id=last_id or None, reason=reason)
    return ChainReport(ok=True, rows=rows)
