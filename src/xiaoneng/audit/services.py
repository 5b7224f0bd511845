"""Writing to the audit log: every state change calls ``log_action`` inside its transaction.

The chain has one head, so appends must be serialised; but no writer ever waits for it inside
its transaction (a sequencer, as Certificate Transparency logs integrate submissions). At the
end of its audit work a writer tries the head with ``SKIP LOCKED``: if it is free, the entries
are sealed and inserted at once (the usual case, and always on SQLite, which has one writer);
if another transaction holds it, the entries go to the queue table (``AuditQueued``) in the
writer's own transaction, and right after the commit ``audit_integrate`` waits for the head
outside any transaction and seals every queued entry in one batch. An entry is therefore in
the queue or in the chain, never lost with a rollback nor written twice; the chain's row order
is its id order, because rows enter ``AuditEntry`` only under the head lock.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.audit.context import Principal, current_context
from xiaoneng.audit.keys import Keyring, audit_keyring
from xiaoneng.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry, AuditQueued, Scheme
from xiaoneng.errors import DomainError

log = logging.getLogger("xiaoneng.audit")

# An entry's content, as a queued entry carries it; the chain adds the hashes, scheme and key.
_CONTENT_FIELDS = (
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "unit_id",
    "ip",
    "request_id",
    "summary",
)

# Entries held back by ``audit_batch`` until the batch appends them to the chain in one step.
_pending: ContextVar[list[AuditEntry] | None] = ContextVar("audit_pending", default=None)

# Keys whose values must never reach the log, whatever a caller passes.
_FORBIDDEN_KEY_PARTS = ("password", "secret", "token", "otp")


def _clean_summary(summary: dict[str, Any] | None) -> dict[str, Any]:
    cleaned = {
        key: value
        for key, value in (summary or {}).items()
        if not any(part in key.lower() for part in _FORBIDDEN_KEY_PARTS)
    }
    # The hashed form must equal what the database gives back. A summary of text, whole
    # numbers, booleans and None in dicts (text keys) and lists is its own JSON form: it is
    # copied as it is (the caller keeps its dict); anything else goes through JSON and back.
    try:
        copied: dict[str, Any] = _plain_copy(cleaned)
        return copied
    except _NotPlain:
        pass
    clean: dict[str, Any] = json.loads(json.dumps(cleaned, default=str, ensure_ascii=False))
    return clean


class _NotPlain(Exception):
    pass


def _plain_copy(value: Any) -> Any:
    """A copy of ``value`` equal to its JSON round trip, or ``_NotPlain``."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        copied = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            copied[key] = _plain_copy(item)
        return copied
    if kind is list:
        return [_plain_copy(item) for item in value]
    raise _NotPlain


def _canonical(entry: AuditEntry) -> bytes:
    created = entry.created_at.astimezone(UTC).isoformat(timespec="microseconds")
    content = [
        created,
        entry.actor_id,
        entry.actor_label,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.unit_id,
        entry.ip,
        entry.request_id,
        entry.summary,
        entry.prev_hash,
    ]
    if entry.scheme != Scheme.SHA256:
        # The scheme and key are sealed too, so neither can be swapped without the key.
        content += [entry.scheme, entry.key_id]
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return canonical.encode("utf-8")


def entry_content_hash(entry: AuditEntry, *, secret: bytes | None = None) -> str:
    """The seal of a row's content chained to its predecessor's hash: HMAC-SHA256 with the key
    the row names (``secret`` if given), or plain SHA-256 for rows from before keyed chaining.

    Raises ``LookupError`` when the row's key is not in the keyring."""
    canonical = _canonical(entry)
    if entry.scheme == Scheme.SHA256:
        return hashlib.sha256(canonical).hexdigest()
    if secret is None:
        secret = audit_keyring().secret(entry.key_id)
        if secret is None:
            raise LookupError(entry.key_id)
    return hmac.new(secret, canonical, hashlib.sha256).hexdigest()


# The chain head's columns, read by one written statement on every append: a queryset with
# ``select_for_update`` is compiled again on every call, which cost more Python than the query.
_HEAD_COLUMNS = ["id", "last_hash", "count", "key_id"]
_FOR_UPDATE = " FOR UPDATE"
_FOR_UPDATE_SKIP_LOCKED = " FOR UPDATE SKIP LOCKED"


def _head_read(lock: str) -> AuditChainHead | None:
    """The head row, locked with ``lock`` (a ``FOR UPDATE`` clause) where the database locks
    rows (SQLite has one writer at a time and no such clause)."""
    if not connection.features.has_select_for_update:
        lock = ""
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, last_hash, count, key_id FROM {table} WHERE id = %s{lock}", [1])
        row = cursor.fetchone()
    if row is None:
        return None
    return AuditChainHead.from_db(connection.alias, _HEAD_COLUMNS, row)


def _locked_head() -> AuditChainHead:
    head = _head_read(_FOR_UPDATE)
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(pk=1, last_hash=GENESIS_HASH, count=0)
    except IntegrityError:
        pass  # Another writer created it first; lock theirs.
    head = _head_read(_FOR_UPDATE)
    if head is None:
        raise AuditChainHead.DoesNotExist("the audit chain head could not be created")
    return head


def audit_head_locked() -> AuditChainHead:
    """The chain head, locked until the transaction ends, for a bulk writer that hashes and
    copies its own rows (``bench-data``) and then stores the new head itself."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_head_locked must run inside the transaction of the rows")
    return _locked_head()


def _object_ref(obj: Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def _actor_of(actor: Principal | None) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    return actor.pk, actor.get_username()


def log_action(
    *,
    action: str,
    obj: Model | None = None,
    actor: Principal | None = None,
    unit_id: int | None = None,
    summary: dict[str, Any] | None = None,
    ref: tuple[str, str] | None = None,
) -> AuditEntry:
    """Append one row to the audit chain inside the caller's transaction.

    ``actor`` defaults to the user of the current request; ``unit_id`` to the object's unit.
    ``ref`` names the object as (``app_label.model``, key) instead of ``obj``, for bulk writers
    that hold the object's columns rather than an instance (the sweeper).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("log_action must run inside the transaction of the change it records")
    context = current_context()
    actor_id, actor_label = _actor_of(actor if actor is not None else context.user)
    object_type, object_id = ref if ref is not None else _object_ref(obj)
    if unit_id is None and obj is not None:
        unit_id = getattr(obj, "unit_id", None)
    pending = _pending.get()
    entry = AuditEntry(
        created_at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        unit_id=unit_id,
        ip=context.ip,
        request_id=context.request_id,
        summary=_clean_summary(summary),
    )
    if pending is not None:
        pending.append(entry)
        return entry
    _submit([entry])
    return entry


def _rotation_entry(head: AuditChainHead, keyring: Keyring) -> AuditEntry:
    context = current_context()
    return AuditEntry(
        created_at=timezone.now(),
        action="audit.key.rotated",
        ip=context.ip,
        request_id=context.request_id,
        summary={"from_key": head.key_id or "legacy", "to_key": keyring.current.key_id},
    )


def audit_chain_seal(head: AuditChainHead, entries: list[Any]) -> list[Any]:
    """Chain ``entries`` after ``head`` in memory with the current key; the caller stores the
    returned rows and the head. One HMAC per row.

    When the current key differs from the key of the last row, a first ``audit.key.rotated``
    row, sealed with the new key, links the old key to the new one."""
    keyring = audit_keyring()
    current = keyring.current
    if head.key_id != current.key_id:
        if head.count:
            entries = [_rotation_entry(head, keyring), *entries]
        head.key_id = current.key_id
    last = head.last_hash
    for entry in entries:
        entry.prev_hash = last
        entry.scheme = Scheme.HMAC_SHA256
        entry.key_id = current.key_id
        last = entry.entry_hash = entry_content_hash(entry, secret=current.secret)
    head.last_hash = last
    return entries


def _append(head: AuditChainHead, entries: list[AuditEntry]) -> None:
    entries = audit_chain_seal(head, entries)
    if not entries:
        return
    head.count += len(entries)
    postgresql = connection.vendor == "postgresql"
    if len(entries) >= COPY_FROM or not connection.features.can_return_rows_from_bulk_insert:
        _insert(entries)  # a large batch: COPY on PostgreSQL, else Django's batched insert
        head.save(update_fields=["last_hash", "count", "key_id"])
        return
    # A few rows: written statements, kept per row count (on PostgreSQL the rows and the new
    # head in one; elsewhere the rows, then the head).
    head_values: list[Any] = [head.last_hash, head.count, head.key_id, head.pk]
    params = [value for entry in entries for value in _entry_values(entry)]
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute(_append_sql(len(entries)), [*params, *head_values])
        else:
            cursor.execute(_insert_sql(len(entries)), params)
        ids = sorted(row[0] for row in cursor.fetchall())
        if not postgresql:
            cursor.execute(_HEAD_MOVE_SQL, head_values)
    # Keys are handed out in the order of the VALUES, as bulk_create assumes.
    for entry, pk in zip(entries, ids, strict=True):
        entry.pk = pk
        entry._state.adding, entry._state.db = False, connection.alias


# From this many rows a batch goes in with ``COPY`` on PostgreSQL (the sweeper's batches).
COPY_FROM = 50

# The columns of an appended row, in the order of ``_entry_values``. The statement appending
# n rows and moving the head is written once per n (fewer than ``COPY_FROM``) and kept.
_ENTRY_COLUMNS = (*_CONTENT_FIELDS, "prev_hash", "entry_hash", "scheme", "key_id")
_APPEND_SQL: dict[int, str] = {}


_INSERT_SQL: dict[int, str] = {}
_HEAD_MOVE_SQL = (
    'UPDATE "audit_auditchainhead" SET "last_hash" = %s, "count" = %s, "key_id" = %s '
    'WHERE "id" = %s'
)


def _insert_sql(rows: int) -> str:
    """``INSERT`` of ``rows`` sealed rows, giving their keys back (PostgreSQL, SQLite ≥ 3.35)."""
    sql = _INSERT_SQL.get(rows)
    if sql is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in _ENTRY_COLUMNS)
        one = "(" + ", ".join(["%s"] * len(_ENTRY_COLUMNS)) + ")"
        sql = _INSERT_SQL[rows] = (
            f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({columns}) "
            f"VALUES {', '.join([one] * rows)} RETURNING id"
        )
    return sql


def _append_sql(rows: int) -> str:
    """The rows and the head's move in one statement (PostgreSQL)."""
    sql = _APPEND_SQL.get(rows)
    if sql is None:
        sql = _APPEND_SQL[rows] = (
            f"WITH appended AS ({_insert_sql(rows)}), "
            f"moved AS ({_HEAD_MOVE_SQL}) "
            "SELECT id FROM appended ORDER BY id"
        )
    return sql


def _entry_values(entry: AuditEntry) -> list[Any]:
    """A sealed row's values as Django would store them, in ``_ENTRY_COLUMNS`` order: the
    text, number and key columns as they are, the time (aware) as it is on PostgreSQL, else
    prepared by its field like the IP address and the summary, the scheme as its number."""
    created = entry.created_at
    if type(created) is not datetime or created.tzinfo is None or connection.vendor != "postgresql":
        created = _field("created_at").get_db_prep_save(created, connection)
    ip = entry.ip
    return [
        created,
        entry.actor_id,
        entry.actor_label,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.unit_id,
        _field("ip").get_db_prep_save(ip, connection) if ip else None,
        entry.request_id,
        _field("summary").get_db_prep_save(entry.summary, connection),
        entry.prev_hash,
        entry.entry_hash,
        int(entry.scheme),
        entry.key_id,
    ]


def _field(name: str) -> Any:
    return AuditEntry._meta.get_field(name)


def _insert(entries: list[AuditEntry]) -> None:
    """Store sealed rows: one ``COPY`` for a large batch on PostgreSQL, else a bulk insert.
    Rows copied get no key on the instance; nobody reads it back."""
    if connection.vendor != "postgresql" or len(entries) < COPY_FROM:
        AuditEntry.objects.bulk_create(entries)
        return
    fields = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    # The summary is stored as its JSON text; every other column holds the attribute as it is
    # (aware datetimes, strings, numbers, None): no per-field preparation for each row.
    names = [field.attname for field in fields]
    summary = names.index("summary")
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for entry in entries:
            values = [getattr(entry, name) for name in names]
            values[summary] = json.dumps(values[summary], ensure_ascii=False)
            copy.write_row(values)


def audit_key_rotate() -> AuditEntry:
    """Record now that the chain moved to the current key (otherwise the next write does)."""
    with transaction.atomic():
        head = _locked_head()
        if head.key_id == audit_keyring().current.key_id or not head.count:
            raise DomainError(_("The audit chain already uses the current key."))
        previous = head.last_hash
        _append(head, [])
        return AuditEntry.objects.get(prev_hash=previous)


@contextmanager
def audit_batch() -> Iterator[list[AuditEntry] | None]:
    """Collect the audit rows of many changes and append them to the chain at once.

    For bulk work such as the sweeper: one head lock and one insert per batch instead of three
    queries per row. Use it inside the batch's transaction; if the batch fails, nothing is
    appended and the transaction rolls back with it. The outermost batch yields its list of
    entries, which its owner may clear to drop them (a request whose transaction it rolls back).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_batch must run inside the transaction of the changes")
    outer = _pending.get()
    if outer is not None:
        # Already batching: the outer batch appends. A block that fails (its savepoint rolls
        # back) takes its own entries back out of the outer batch.
        mark = len(outer)
        try:
            yield None
        except BaseException:
            del outer[mark:]
            raise
        return
    entries: list[AuditEntry] = []
    token = _pending.set(entries)
    try:
        yield entries
    finally:
        _pending.reset(token)
    _submit(entries)


# Set on a connection whose transaction queued entries, so that a later append in the same
# transaction seals them first and the chain keeps the transaction's order.
_QUEUED_FLAG = "_xiaoneng_audit_queued"
# How long the integrator waits for a transaction that holds the head (it holds it from its
# last audit append to its commit); past that the entries wait for the next integration.
INTEGRATE_LOCK_TIMEOUT = "5s"
INTEGRATE_BATCH = 1000


def _head_if_free() -> AuditChainHead | None:
    """The head, locked for this transaction, or None when another transaction holds it."""
    head = _head_read(_FOR_UPDATE_SKIP_LOCKED)
    if head is None and not AuditChainHead.objects.filter(pk=1).exists():
        return _locked_head()  # First entry ever: create the head.
    return head


def _drain(limit: int) -> list[AuditEntry]:
    """Take up to ``limit`` queued entries (oldest first) off the queue as chain entries."""
    queued = list(AuditQueued.objects.select_for_update(skip_locked=True).order_by("id")[:limit])
    if not queued:
        return []
    AuditQueued.objects.filter(id__in=[row.pk for row in queued])._raw_delete(connection.alias)
    return [AuditEntry(**{name: getattr(row, name) for name in _CONTENT_FIELDS}) for row in queued]


def _submit(entries: list[AuditEntry]) -> None:
    """Seal ``entries`` into the chain now if the head is free, else queue them."""
    if not entries:
        return
    if connection.vendor != "postgresql":
        _append(_locked_head(), entries)  # One writer at a time anyway.
        return
    head = _head_if_free()
    if head is None:
        AuditQueued.objects.bulk_create(
            [
                AuditQueued(**{name: getattr(entry, name) for name in _CONTENT_FIELDS})
                for entry in entries
            ]
        )
        setattr(connection, _QUEUED_FLAG, True)
        transaction.on_commit(audit_integrate, robust=True)
        return
    if getattr(connection, _QUEUED_FLAG, False):
        entries = [*_drain(INTEGRATE_BATCH), *entries]
        setattr(connection, _QUEUED_FLAG, False)
    _append(head, entries)


def audit_integrate(*, batch: int = INTEGRATE_BATCH) -> int:
    """Seal every queued entry into the chain, ``batch`` at a time; returns how many.

    Runs after the commit of a writer that queued entries, in the periodic jobs and before
    ``xiaoneng audit verify``. Safe on several processes at once: one holds the head, the others
    find the queue empty or wait."""
    setattr(connection, _QUEUED_FLAG, False)
    total = 0
    while AuditQueued.objects.exists():
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute(
                            "SELECT set_config('lock_timeout', %s, true)",
                            [INTEGRATE_LOCK_TIMEOUT],
                        )
                head = _locked_head()
                entries = _drain(batch)
                _append(head, entries)
        except DatabaseError:
            log.warning("audit entries stay queued: the chain head stayed busy", exc_info=True)
            return total
        total += len(entries)
        if len(entries) < batch:
            break
    return total
