"""Reading and checking the audit chain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from xiaoneng.audit.keys import audit_keyring
from xiaoneng.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry, Scheme
from xiaoneng.audit.services import entry_content_hash


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    rows: int
    broken_id: int | None = None
    reason: str = ""
    last_id: int | None = None
    last_hash: str = GENESIS_HASH
    legacy_rows: int = 0


def _row_problem(entry: AuditEntry, expected_prev: str, seen_keyed: bool) -> str:
    if entry.prev_hash != expected_prev:
        return _("its predecessor was altered or deleted")
    if entry.scheme == Scheme.SHA256 and seen_keyed:
        return _("it claims the unkeyed scheme after keyed rows (a rewrite)")
    if entry.scheme not in Scheme.values:
        return _("its content was altered")
    try:
        if entry_content_hash(entry) != entry.entry_hash:
            return _("its content was altered")
    except LookupError:
        return _("its key %(key)s is not in the keyring") % {"key": entry.key_id or "?"}
    return ""


def audit_chain_walk(
    *,
    after_id: int = 0,
    after_hash: str = GENESIS_HASH,
    after_rows: int = 0,
    seen_keyed: bool = False,
    on_row: Callable[[AuditEntry, int], str] | None = None,
    chunk_size: int = 5000,
) -> ChainReport:
    """Recompute every seal after row ``after_id`` (whose hash is ``after_hash``) in id order;
    name the first row that does not fit. ``on_row(entry, rows)`` may name a problem too.

    Legacy rows may only come first: once a keyed row is seen, an unkeyed one is a rewrite."""
    expected_prev, rows, last_id, legacy = after_hash, after_rows, after_id or None, 0
    audit_keyring()  # Fail on a bad configuration before reading a million rows.
    entries = AuditEntry.objects.filter(id__gt=after_id).order_by("id")
    for entry in entries.iterator(chunk_size=chunk_size):
        rows += 1
        problem = _row_problem(entry, expected_prev, seen_keyed)
        if not problem and on_row is not None:
            problem = on_row(entry, rows)
        if problem:
            return ChainReport(ok=False, rows=rows, broken_id=entry.pk, reason=problem)
        seen_keyed = seen_keyed or entry.scheme != Scheme.SHA256
        legacy += entry.scheme == Scheme.SHA256
        expected_prev, last_id = entry.entry_hash, entry.pk
    return ChainReport(
        ok=True, rows=rows, last_id=last_id, last_hash=expected_prev, legacy_rows=legacy
    )


def audit_chain_verify(
    *, chunk_size: int = 5000, on_row: Callable[[AuditEntry, int], str] | None = None
) -> ChainReport:
    """Check the whole chain from genesis and compare its end with the head row."""
    report = audit_chain_walk(chunk_size=chunk_size, on_row=on_row)
    if not report.ok:
        return report
    head = AuditChainHead.objects.filter(pk=1).first()
    head_count = head.count if head else 0
    head_hash = head.last_hash if head else GENESIS_HASH
    if head_count != report.rows or head_hash != report.last_hash:
        reason = _("rows were removed from the end of the chain")
        return ChainReport(ok=False, rows=report.rows, broken_id=report.last_id, reason=reason)
    return report
