"""Moving personal data to the current key, table by table.

Every table with an ``EncryptedTextField`` is walked in primary-key order, ``batch`` rows a
transaction. A row is rewritten when one of its values is clear text (written before
encryption came in) or under another key, or when a blind index is missing or under another
key; values already under the current key keep their ciphertext. A run that stops half-way
leaves whole batches behind it: running it again finds only the rows still to do.

``xiaoneng data-keys rotate`` (``security/rotation.py``, audited) and the migrations that
bring encryption in (``encrypt_existing``, with the migration's historical models) share this
code, so it reads tables through ``_meta`` and raw SQL only; it sits at the ground level so
that the migrations of any app may use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as global_apps
from django.db import connection, transaction

from xiaoneng.fieldcrypt import datakeys
from xiaoneng.fieldcrypt.fields import BlindIndexField, EncryptedTextField

DEFAULT_BATCH = 1000
Progress = Callable[[str, int], None]  # (table, rows rewritten so far)


@dataclass(frozen=True)
class IndexColumn:
    column: str
    source: str  # the encrypted column it indexes
    kind: str


@dataclass(frozen=True)
class Table:
    name: str
    pk: str
    encrypted: dict[str, str]  # column -> associated-data context
    indexes: list[IndexColumn] = field(default_factory=list)


def table_of(model: Any) -> Table | None:
    encrypted, indexes = {}, []
    by_name = {f.name: f for f in model._meta.concrete_fields}
    for f in model._meta.concrete_fields:
        if isinstance(f, EncryptedTextField):
            encrypted[f.column] = f"{model._meta.db_table}.{f.column}"
        elif isinstance(f, BlindIndexField):
            indexes.append(IndexColumn(f.column, by_name[f.source].column, f.kind))
    if not encrypted:
        return None
    return Table(model._meta.db_table, model._meta.pk.column, encrypted, indexes)


def encrypted_tables(models: Iterable[Any] | None = None) -> list[Table]:
    found = [table_of(m) for m in (models if models is not None else global_apps.get_models())]
    return sorted((t for t in found if t is not None), key=lambda t: t.name)


def _stale_condition(table: Table, ring: datakeys.Keyring) -> tuple[str, list[Any]]:
    q = connection.ops.quote_name
    value_prefix = f"{datakeys.PREFIX}{ring.current_id}$"
    index_prefix = f"{ring.current_id}$"
    parts, params = [], []
    for column in table.encrypted:
        parts.append(f"({q(column)} <> '' AND SUBSTR({q(column)}, 1, %s) <> %s)")
        params += [len(value_prefix), value_prefix]
    for index in table.indexes:
        col, src = q(index.column), q(index.source)
        parts.append(
            f"({col} = '' AND {src} <> '') OR ({src} = '' AND {col} <> '') "
            f"OR ({col} <> '' AND SUBSTR({col}, 1, %s) <> %s)"
        )
        params += [len(index_prefix), index_prefix]
    return " OR ".join(parts), params


def _rewrite(table: Table, row: tuple[Any, ...], ring: datakeys.Keyring) -> list[Any]:
    values = dict(zip(table.encrypted, row[1:], strict=False))
    clear = {col: datakeys.decrypt(v, context=table.encrypted[col]) for col, v in values.items()}
    out = []
    for col, stored in values.items():
        fresh = stored and datakeys.key_id_of(stored) == ring.current_id
        out.append(stored if fresh else datakeys.encrypt(clear[col], context=table.encrypted[col]))
    for index in table.indexes:
        out.append(datakeys.blind_index(clear[index.source], kind=index.kind))
    return out


def rotate_table(
    table: Table, *, batch: int = DEFAULT_BATCH, progress: Progress | None = None
) -> int:
    """Rewrite the rows of one table that are not wholly under the current key; their count."""
    ring = datakeys.keyring()
    q = connection.ops.quote_name
    condition, params = _stale_condition(table, ring)
    columns = [table.pk, *table.encrypted]
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    select = (
        f"SELECT {', '.join(q(c) for c in columns)} FROM {q(table.name)} "
        f"WHERE {q(table.pk)} > %s AND ({condition}) ORDER BY {q(table.pk)} LIMIT %s{lock}"
    )
    targets = [*table.encrypted, *(i.column for i in table.indexes)]
    update = (
        f"UPDATE {q(table.name)} SET {', '.join(f'{q(c)} = %s' for c in targets)} "
        f"WHERE {q(table.pk)} = %s"
    )
    done, last = 0, None
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(select, [last if last is not None else -1, *params, batch])
            rows = cursor.fetchall()
            if not rows:
                return done
            cursor.executemany(update, [[*_rewrite(table, row, ring), row[0]] for row in rows])
        done += len(rows)
        last = rows[-1][0]
        if progress is not None:
            progress(table.name, done)


def encrypt_existing(apps: Any, models: list[tuple[str, str]]) -> None:
    """Migration step: encrypt the clear values of these models and fill their blind indexes,
    with the migration's historical models (only those whose fields are encrypted by then)."""
    for table in encrypted_tables(apps.get_model(label, name) for label, name in models):
        rotate_table(table)


def decrypt_existing(apps: Any, models: list[tuple[str, str]]) -> None:
    """Reverse migration step: write the clear values back (before the columns narrow again)."""
    q = connection.ops.quote_name
    for table in encrypted_tables(apps.get_model(label, name) for label, name in models):
        columns = list(table.encrypted)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(q(c) for c in [table.pk, *columns])} FROM {q(table.name)}"
            )
            rows = [
                [
                    *(
                        datakeys.decrypt(value, context=table.encrypted[column])
                        for column, value in zip(columns, row[1:], strict=True)
                    ),
                    row[0],
                ]
                for row in cursor.fetchall()
            ]
            assignments = ", ".join(f"{q(c)} = %s" for c in columns)
            cursor.executemany(
                f"UPDATE {q(table.name)} SET {assignments} WHERE {q(table.pk)} = %s", rows
            )
