"""Signed checkpoints of the audit chain, kept where the database cannot reach.

Like the signed tree heads of a Certificate Transparency log: every checkpoint signs the chain's
head (row id, its hash, the row count, the time and the row's key id) with Ed25519 and is
appended as one JSON line to a file outside the database (and to the log). Whoever later holds
the public key can prove that each checkpoint is still a prefix of the chain, so rows cut off
the end or a chain rebuilt from scratch show up even if the database and its head row agree.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.audit.keys import configured_signing_key, signer_fingerprint
from xiaoneng.audit.models import AuditEntry, Scheme
from xiaoneng.audit.selectors import ChainReport, audit_chain_verify, audit_chain_walk
from xiaoneng.errors import DomainError

log = logging.getLogger("xiaoneng.audit.checkpoints")

VERSION = 1
_PATTERN = "audit-checkpoints-*.jsonl"


@dataclass(frozen=True)
class Checkpoint:
    row_id: int
    entry_hash: str
    rows: int
    time: str
    key_id: str
    signer: str
    signature: str = ""

    def payload(self) -> bytes:
        fields = asdict(self)
        del fields["signature"]
        fields["v"] = VERSION
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def line(self) -> str:
        return json.dumps({**asdict(self), "v": VERSION}, sort_keys=True) + "\n"


@dataclass(frozen=True)
class StoredCheckpoint:
    checkpoint: Checkpoint
    where: str  # "file:line", for messages.


class CheckpointError(DomainError):
    pass


def _parse(text: str, where: str) -> Checkpoint:
    try:
        data = json.loads(text)
        if data.pop("v") != VERSION:
            raise ValueError
        return Checkpoint(**data)
    except (ValueError, TypeError, KeyError):
        raise CheckpointError(_("%(where)s is not a checkpoint.") % {"where": where}) from None


def checkpoints_read(directory: Path) -> list[StoredCheckpoint]:
    """Every checkpoint in ``directory``, oldest file first, in file order."""
    found = []
    for path in sorted(Path(directory).glob(_PATTERN)):
        for number, text in enumerate(path.read_text().splitlines(), start=1):
            if text.strip():
                where = f"{path.name}:{number}"
                found.append(StoredCheckpoint(_parse(text, where), where))
    return found


def checkpoint_signature_ok(checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> bool:
    if checkpoint.signer != signer_fingerprint(public_key):
        return False
    try:
        public_key.verify(base64.b64decode(checkpoint.signature), checkpoint.payload())
    except (InvalidSignature, ValueError):
        return False
    return True


def _latest_trusted(directory: Path, public_key: Ed25519PublicKey) -> Checkpoint | None:
    files = sorted(Path(directory).glob(_PATTERN))
    for path in reversed(files):
        for text in reversed(path.read_text().splitlines()):
            if text.strip():
                checkpoint = _parse(text, path.name)
                if checkpoint_signature_ok(checkpoint, public_key):
                    return checkpoint
    return None


def _extend(previous: Checkpoint | None) -> ChainReport:
    """Verify the chain from the previous checkpoint (or genesis) to today's end."""
    if previous is None:
        return audit_chain_walk()
    row = AuditEntry.objects.filter(pk=previous.row_id).first()
    if row is None or row.entry_hash != previous.entry_hash:
        reason = _("the row of the previous checkpoint was altered or deleted")
        return ChainReport(ok=False, rows=previous.rows, broken_id=previous.row_id, reason=reason)
    return audit_chain_walk(
        after_id=row.pk,
        after_hash=row.entry_hash,
        after_rows=previous.rows,
        seen_keyed=row.scheme != Scheme.SHA256,
    )


def audit_checkpoint_write(
    *,
    signing_key: Ed25519PrivateKey,
    directory: Path | None = None,
    now: datetime | None = None,
) -> Checkpoint | None:
    """Sign the chain's current head and append it to this month's file; None if the chain is
    empty. The chain since the previous checkpoint is verified first: a broken chain is never
    signed."""
    directory = Path(directory or settings.XIAONENG_AUDIT_CHECKPOINT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    public_key = signing_key.public_key()
    report = _extend(_latest_trusted(directory, public_key))
    if not report.ok:
        log.error("audit chain broken at row %s: %s", report.broken_id, report.reason)
        raise CheckpointError(
            _("Not signed: audit row %(id)s does not fit the chain: %(reason)s.")
            % {"id": report.broken_id, "reason": report.reason}
        )
    if report.last_id is None:
        return None
    head = AuditEntry.objects.only("key_id").get(pk=report.last_id)
    now = (now or timezone.now()).astimezone(UTC)
    unsigned = Checkpoint(
        row_id=report.last_id,
        entry_hash=report.last_hash,
        rows=report.rows,
        time=now.isoformat(timespec="seconds"),
        key_id=head.key_id,
        signer=signer_fingerprint(public_key),
    )
    signature = base64.b64encode(signing_key.sign(unsigned.payload())).decode()
    checkpoint = Checkpoint(**{**asdict(unsigned), "signature": signature})
    _append_line(directory / f"audit-checkpoints-{now:%Y-%m}.jsonl", checkpoint.line())
    log.info("audit checkpoint %s", checkpoint.line().strip())
    return checkpoint


def _append_line(path: Path, line: str) -> None:
    # One write with O_APPEND: two processes checkpointing at once never interleave a line.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def audit_checkpoint_due(*, now: datetime | None = None) -> str:
    """The periodic job: a checkpoint when the newest is older than the interval."""
    signing_key = configured_signing_key()
    if signing_key is None:
        return "no signing key"
    now = now or timezone.now()
    directory = Path(settings.XIAONENG_AUDIT_CHECKPOINT_DIR)
    latest = _latest_trusted(directory, signing_key.public_key()) if directory.exists() else None
    interval = timedelta(seconds=settings.XIAONENG_AUDIT_CHECKPOINT_INTERVAL)
    if latest is not None and datetime.fromisoformat(latest.time) > now - interval:
        return "not due"
    checkpoint = audit_checkpoint_write(signing_key=signing_key, directory=directory, now=now)
    return f"row {checkpoint.row_id}" if checkpoint else "empty chain"


@dataclass(frozen=True)
class CheckpointReport:
    chain: ChainReport
    checkpoints: int
    problem: str = ""
    latest: Checkpoint | None = None

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problem


def audit_checkpoints_verify(*, directory: Path, public_key: Ed25519PublicKey) -> CheckpointReport:
    """Check each checkpoint's signature, then that each is a prefix of today's chain: the row
    it names still has its hash and row count, and the chain up to it verifies."""
    stored = checkpoints_read(directory)
    for item in stored:
        if not checkpoint_signature_ok(item.checkpoint, public_key):
            problem = _("%(where)s: the signature is not valid (forged or another key).") % {
                "where": item.where
            }
            unchecked = ChainReport(ok=True, rows=0)
            return CheckpointReport(chain=unchecked, checkpoints=0, problem=problem)
    wanted: dict[int, list[StoredCheckpoint]] = {}
    for item in stored:
        wanted.setdefault(item.checkpoint.row_id, []).append(item)

    def on_row(entry: AuditEntry, rows: int) -> str:
        for item in wanted.pop(entry.pk, []):
            if (entry.entry_hash, rows) != (item.checkpoint.entry_hash, item.checkpoint.rows):
                return _("it differs from checkpoint %(where)s") % {"where": item.where}
        return ""

    chain = audit_chain_verify(on_row=on_row)
    latest = stored[-1].checkpoint if stored else None
    if not chain.ok or not wanted:
        return CheckpointReport(chain=chain, checkpoints=len(stored), latest=latest)
    missing = min(wanted)
    first = wanted[missing][0].where
    problem = _(
        "%(where)s names row %(id)s, which is no longer in the chain (rows were removed)."
    ) % {"where": first, "id": missing}
    return CheckpointReport(chain=chain, checkpoints=len(stored), problem=problem, latest=latest)
