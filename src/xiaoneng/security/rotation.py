"""``xiaoneng data-keys status|rotate``: how much personal data is under the current key, and
moving the rest to it (the rewriting itself is ``fieldcrypt/rewrite.py``), audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from xiaoneng.audit.services import log_action
from xiaoneng.fieldcrypt import datakeys
from xiaoneng.fieldcrypt.rewrite import DEFAULT_BATCH, Progress, encrypted_tables, rotate_table


@dataclass(frozen=True)
class ColumnStatus:
    table: str
    column: str
    values: int
    current: int
    clear: int

    @property
    def other_keys(self) -> int:
        return self.values - self.current - self.clear


def data_keys_status() -> list[ColumnStatus]:
    """Per encrypted column: how many values are under the current key, another key, or clear."""
    ring = datakeys.keyring()
    q = connection.ops.quote_name
    prefix = f"{datakeys.PREFIX}{ring.current_id}$"
    result = []
    with connection.cursor() as cursor:
        for table in encrypted_tables():
            for column in table.encrypted:
                c = q(column)
                cursor.execute(
                    f"SELECT COUNT(*), "
                    f"COALESCE(SUM(CASE WHEN SUBSTR({c}, 1, %s) = %s THEN 1 ELSE 0 END), 0), "
                    f"COALESCE(SUM(CASE WHEN SUBSTR({c}, 1, %s) <> %s THEN 1 ELSE 0 END), 0) "
                    f"FROM {q(table.name)} WHERE {c} <> ''",
                    [len(prefix), prefix, len(datakeys.PREFIX), datakeys.PREFIX],
                )
                values, current, clear = cursor.fetchone()
                result.append(ColumnStatus(table.name, column, values, int(current), int(clear)))
    return result


@dataclass(frozen=True)
class RotationReport:
    key_id: str
    rows: dict[str, int]
    complete: bool

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def data_keys_rotate(
    *, batch: int = DEFAULT_BATCH, progress: Progress | None = None
) -> RotationReport:
    """Re-encrypt everything under the current key and recompute the blind indexes; one audit
    row per run, also for a run that stopped half-way (the batches before it stay done)."""
    ring = datakeys.keyring()
    rows: dict[str, int] = {}
    complete = False
    try:
        for table in encrypted_tables():
            rows[table.name] = rotate_table(table, batch=batch, progress=progress)
        complete = True
    finally:
        with transaction.atomic():
            log_action(
                action="security.data_keys_rotate",
                summary={"key_id": ring.current_id, "rows": rows, "complete": complete},
            )
    report = RotationReport(key_id=ring.current_id, rows=rows, complete=complete)
    if report.total and connection.vendor == "sqlite" and not connection.in_atomic_block:
        # The old values stay in SQLite's free pages until the file is rewritten.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    return report
