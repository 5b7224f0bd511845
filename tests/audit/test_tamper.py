"""Tamper evidence without trusting the database: keyed seals, rotation, legacy rows, and signed
checkpoints (real database, real files, real Ed25519)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import translation

from xiaoneng.audit.checkpoints import (
    audit_checkpoint_due,
    audit_checkpoint_write,
    audit_checkpoints_verify,
)
from xiaoneng.audit.keys import (
    audit_keyring,
    key_fingerprint,
    load_signing_key,
    new_audit_key,
    parse_key,
    signing_key_pair_write,
)
from xiaoneng.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry, Scheme
from xiaoneng.audit.selectors import audit_chain_verify
from xiaoneng.audit.services import _canonical, entry_content_hash, log_action

pytestmark = pytest.mark.django_db

KEY_A = new_audit_key()
KEY_B = new_audit_key()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def audit_key(settings) -> None:
    settings.XIAONENG_AUDIT_KEY = KEY_A
    settings.XIAONENG_AUDIT_KEY_FILE = ""


@pytest.fixture
def signing(tmp_path: Path, settings) -> Path:
    path = tmp_path / "keys" / "audit-signing.pem"
    signing_key_pair_write(path)
    settings.XIAONENG_AUDIT_SIGNING_KEY_FILE = str(path)
    settings.XIAONENG_AUDIT_VERIFY_KEY_FILE = ""
    settings.XIAONENG_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return path


def write(n: int) -> list[AuditEntry]:
    entries = []
    for i in range(n):
        with transaction.atomic():
            entries.append(log_action(action="test.write", summary={"i": i, "名": "值"}))
    return entries


def _sql(sql: str, params: list) -> None:
    """Write the way a database owner could, past the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only"
            )
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE audit_auditentry ENABLE TRIGGER audit_auditentry_append_only"
            )


def rewrite(from_id: int, change: Callable[[AuditEntry], None], seal: Callable) -> None:
    """Change one row, then recompute every later seal and the head, as an attacker would."""
    rows = list(AuditEntry.objects.order_by("id"))
    prev = GENESIS_HASH
    for entry in rows:
        if entry.pk >= from_id:
            if entry.pk == from_id:
                change(entry)
            entry.prev_hash = prev
            entry.entry_hash = seal(entry)
            _sql(
                "UPDATE audit_auditentry SET action = %s, scheme = %s, prev_hash = %s, "
                "entry_hash = %s WHERE id = %s",
                [entry.action, entry.scheme, entry.prev_hash, entry.entry_hash, entry.pk],
            )
        prev = entry.entry_hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev, count=len(rows))


def forge_action(entry: AuditEntry) -> None:
    entry.action = "forged"


def plain_sha256(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def test_rows_are_sealed_with_the_configured_key() -> None:
    (entry,) = write(1)
    assert entry.scheme == Scheme.HMAC_SHA256
    assert entry.key_id == key_fingerprint(parse_key(KEY_A, source="test"))
    assert entry.entry_hash != plain_sha256(entry)
    assert audit_chain_verify().ok


def test_rewrite_recomputed_with_plain_sha256_is_detected() -> None:
    entries = write(5)
    rewrite(entries[2].pk, forge_action, plain_sha256)
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_id == entries[2].pk


def test_rewrite_downgraded_to_the_legacy_scheme_is_detected() -> None:
    entries = write(5)

    def downgrade(entry: AuditEntry) -> str:
        entry.scheme = Scheme.SHA256
        return entry_content_hash(entry)

    rewrite(entries[2].pk, forge_action, downgrade)
    report = audit_chain_verify()
    assert (report.ok, report.broken_id) == (False, entries[2].pk)
    assert "unkeyed" in report.reason


def test_rewrite_sealed_with_a_wrong_key_is_detected() -> None:
    entries = write(5)
    wrong = parse_key(KEY_B, source="test")
    rewrite(entries[1].pk, forge_action, lambda e: entry_content_hash(e, secret=wrong))
    report = audit_chain_verify()
    assert (report.ok, report.broken_id) == (False, entries[1].pk)


def test_verify_command_names_the_rewritten_row(capsys) -> None:
    entries = write(3)
    rewrite(entries[0].pk, forge_action, plain_sha256)
    with pytest.raises(SystemExit):
        call_command("audit", "verify")
    assert f"audit row {entries[0].pk} " in capsys.readouterr().err


def test_key_rotation_is_recorded_and_verifies_across_the_boundary(settings) -> None:
    old = write(2)
    settings.XIAONENG_AUDIT_KEY = f"{KEY_B},{KEY_A}"
    new = write(2)
    rows = list(AuditEntry.objects.order_by("id"))
    assert len(rows) == 5
    rotation = rows[2]
    assert rotation.action == "audit.key.rotated"
    assert rotation.summary == {"from_key": old[0].key_id, "to_key": new[0].key_id}
    assert rotation.key_id == new[0].key_id != old[0].key_id
    assert audit_chain_verify().ok
    # Dropping the old key makes its rows unverifiable, and verify says so.
    settings.XIAONENG_AUDIT_KEY = KEY_B
    report = audit_chain_verify()
    assert (report.ok, report.broken_id) == (False, old[0].pk)
    assert "keyring" in report.reason


def test_rotate_key_command_records_the_boundary_once(settings, capsys) -> None:
    write(1)
    with pytest.raises(CommandError):
        call_command("audit", "rotate-key")
    settings.XIAONENG_AUDIT_KEY = f"{KEY_B},{KEY_A}"
    call_command("audit", "rotate-key")
    assert "audit row" in capsys.readouterr().out
    assert AuditEntry.objects.order_by("-id").first().action == "audit.key.rotated"
    with pytest.raises(CommandError):
        call_command("audit", "rotate-key")
    write(1)
    assert AuditEntry.objects.filter(action="audit.key.rotated").count() == 1
    assert audit_chain_verify().ok


def _legacy_rows(n: int) -> list[AuditEntry]:
    """Rows as the plain SHA-256 chain wrote them before keyed chaining."""
    from django.utils import timezone

    prev, rows = GENESIS_HASH, []
    for i in range(n):
        entry = AuditEntry(
            created_at=timezone.now(),
            action="legacy.write",
            summary={"i": i},
            prev_hash=prev,
            scheme=Scheme.SHA256,
        )
        prev = entry.entry_hash = entry_content_hash(entry)
        rows.append(entry)
    AuditEntry.objects.bulk_create(rows)
    AuditChainHead.objects.create(pk=1, last_hash=prev, count=n)
    return rows


def test_legacy_rows_keep_verifying_and_stay_protected(capsys) -> None:
    legacy = _legacy_rows(3)
    keyed = write(2)
    rows = list(AuditEntry.objects.order_by("id"))
    assert [row.action for row in rows[3:4]] == ["audit.key.rotated"]
    assert rows[3].summary["from_key"] == "legacy"
    report = audit_chain_verify()
    assert (report.ok, report.rows, report.legacy_rows) == (True, 6, 3)
    call_command("audit", "verify")
    assert "3 of them" in capsys.readouterr().out
    assert keyed[0].scheme == Scheme.HMAC_SHA256
    # The first keyed row pins the legacy rows: without the key, rewriting them breaks it.
    wrong = parse_key(KEY_B, source="test")

    def reseal(entry: AuditEntry) -> str:
        if entry.scheme == Scheme.SHA256:
            return entry_content_hash(entry)
        return entry_content_hash(entry, secret=wrong)

    rewrite(legacy[1].pk, forge_action, reseal)
    report = audit_chain_verify()
    assert (report.ok, report.broken_id) == (False, rows[3].pk)


def test_checkpoint_is_signed_and_verifies(signing: Path, settings, capsys) -> None:
    write(3)
    call_command("audit", "checkpoint")
    directory = Path(settings.XIAONENG_AUDIT_CHECKPOINT_DIR)
    (path,) = directory.glob("audit-checkpoints-*.jsonl")
    line = json.loads(path.read_text())
    assert line["row_id"] == AuditEntry.objects.order_by("-id").first().pk
    assert line["rows"] == 3
    write(2)
    call_command("audit", "checkpoint")
    public = f"{signing}.pub"
    call_command("audit", "verify", "--checkpoints", str(directory), "--public-key", public)
    out = capsys.readouterr().out
    assert "5 audit rows" in out
    assert "2 signed checkpoints verified" in out


def test_deleted_tail_after_a_checkpoint_is_detected(signing: Path, settings, capsys) -> None:
    entries = write(5)
    audit_checkpoint_write(signing_key=load_signing_key(signing))
    _sql("DELETE FROM audit_auditentry WHERE id > %s", [entries[2].pk])
    AuditChainHead.objects.filter(pk=1).update(last_hash=entries[2].entry_hash, count=3)
    assert audit_chain_verify().ok  # The database alone cannot tell.
    directory = str(settings.XIAONENG_AUDIT_CHECKPOINT_DIR)
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", "--checkpoints", directory)
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert f"row {entries[4].pk}" in err
    assert "no longer in the chain" in err


def test_chain_rebuilt_as_legacy_is_caught_by_a_checkpoint(signing: Path, settings) -> None:
    entries = write(4)
    audit_checkpoint_write(signing_key=load_signing_key(signing))

    def downgrade(entry: AuditEntry) -> str:
        entry.scheme = Scheme.SHA256
        return entry_content_hash(entry)

    rewrite(entries[0].pk, forge_action, downgrade)
    assert audit_chain_verify().ok  # Every row now looks like an old, unkeyed one.
    report = audit_checkpoints_verify(
        directory=settings.XIAONENG_AUDIT_CHECKPOINT_DIR,
        public_key=load_signing_key(signing).public_key(),
    )
    assert not report.ok
    assert report.chain.broken_id == entries[3].pk


def test_forged_checkpoints_are_refused(signing: Path, settings, tmp_path: Path, capsys) -> None:
    entries = write(3)
    checkpoint = audit_checkpoint_write(signing_key=load_signing_key(signing))
    directory = Path(settings.XIAONENG_AUDIT_CHECKPOINT_DIR)
    (path,) = directory.glob("*.jsonl")
    forged = json.loads(path.read_text())
    forged["row_id"], forged["rows"] = entries[1].pk, 2
    forged["entry_hash"] = entries[1].entry_hash
    path.write_text(json.dumps(forged) + "\n")
    with pytest.raises(SystemExit):
        call_command("audit", "verify", "--checkpoints", str(directory))
    assert "signature is not valid" in capsys.readouterr().err
    # A checkpoint signed with somebody else's key is refused too.
    other = tmp_path / "other.pem"
    signing_key_pair_write(other)
    path.unlink()
    audit_checkpoint_write(signing_key=load_signing_key(other), directory=directory)
    report = audit_checkpoints_verify(
        directory=directory, public_key=load_signing_key(signing).public_key()
    )
    assert not report.ok
    assert "signature" in report.problem
    assert checkpoint is not None


def test_a_broken_chain_is_never_signed(signing: Path) -> None:
    entries = write(3)
    _sql("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match=str(entries[1].pk)):
        call_command("audit", "checkpoint")


def test_periodic_job_signs_hourly(signing: Path, settings) -> None:
    from datetime import timedelta

    from django.utils import timezone

    assert audit_checkpoint_due() == "empty chain"
    write(2)
    now = timezone.now()
    assert audit_checkpoint_due(now=now) == f"row {AuditEntry.objects.last().pk}"
    assert audit_checkpoint_due(now=now + timedelta(minutes=30)) == "not due"
    write(1)
    assert audit_checkpoint_due(now=now + timedelta(minutes=61)) == (
        f"row {AuditEntry.objects.last().pk}"
    )
    settings.XIAONENG_AUDIT_SIGNING_KEY_FILE = ""
    assert audit_checkpoint_due() == "no signing key"


def test_keygen(tmp_path: Path, capsys) -> None:
    call_command("audit", "keygen")
    assert len(parse_key(capsys.readouterr().out, source="test")) == 32
    path = tmp_path / "signing.pem"
    call_command("audit", "keygen", "--signing", str(path))
    assert path.stat().st_mode & 0o777 == 0o600
    assert Path(f"{path}.pub").read_text().startswith("-----BEGIN PUBLIC KEY-----")
    with pytest.raises(CommandError):
        call_command("audit", "keygen", "--signing", str(path))


def test_key_formats(settings) -> None:
    secret = bytes(range(32))
    assert parse_key(secret.hex(), source="t") == secret
    settings.XIAONENG_AUDIT_KEY = secret.hex()
    assert audit_keyring().current.secret == secret
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="32"):
        parse_key("c2hvcnQ=", source="t")


def test_key_file_lists_current_key_first(settings, tmp_path: Path) -> None:
    path = tmp_path / "audit.keys"
    path.write_text(f"# current first\n{KEY_B}\n{KEY_A}\n")
    settings.XIAONENG_AUDIT_KEY_FILE = str(path)
    keyring = audit_keyring()
    assert keyring.current.secret == parse_key(KEY_B, source="t")
    assert keyring.secret(key_fingerprint(parse_key(KEY_A, source="t"))) is not None
    assert not keyring.derived
