"""Rollups maintained incrementally from the append-only case event log.

``rollups_apply`` reads the events after a stored cursor, recomputes what each case involved
contributes now (contributions.py, from its events and clocks), and applies the difference
from what it contributed before (``CaseFact``) to the rollup rows. Recomputing a case from
its whole log rather than adding the new event's effect is what makes this provably correct:
the rollup is always Σ over cases of their stored contribution, each stored contribution is
the function of its case at the moment it was computed, and any event that could change a
case brings that case back here. Applying a case twice is harmless (the second delta is
zero), so re-reading events costs time, never correctness.

Settle delay: event ids come from a sequence at insert time, but transactions commit in any
order, so id 100 can be visible while id 99 is still uncommitted. A cursor that jumped past
99 would never see it. So the cursor only advances over ids that are either seen or have
been missing for longer than ``SETTLE`` (a rolled-back transaction leaves a permanent gap;
no transaction of the case services stays open that long). Events above a young gap are
applied now and read again next time. The event's own ``at`` is not used for this: an
imported hotline case can carry a registration time in the past.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import BigIntegerField, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from xiaoneng.assessment.contributions import Counts, Key, contributions_of
from xiaoneng.assessment.models import (
    MEASURES,
    CaseCount,
    CaseFact,
    RepeatComplaint,
    Rollup,
    RollupCursor,
)
from xiaoneng.assessment.rollups_sql import StepTimes, rollups_rebuild_sql
from xiaoneng.cases.models import Case, CaseEvent

SETTLE = timedelta(seconds=60)
BATCH = 2000
KEY_FIELDS = ("day", "unit_id", "department_id", "channel", "kind", "category_id")


def _cursor() -> RollupCursor:
    RollupCursor.objects.get_or_create(pk=1)
    return RollupCursor.objects.select_for_update().get(pk=1)


def _flatten(contributions: dict[Key, Counts]) -> list[list[Any]]:
    return [[*key, counts] for key, counts in sorted(contributions.items())]


def _unflatten(stored: list[list[Any]]) -> dict[Key, Counts]:
    return {tuple(row[:6]): row[6] for row in stored}  # type: ignore[misc]


def _key_filter(key: Key) -> dict[str, Any]:
    return dict(zip(KEY_FIELDS, (date.fromisoformat(key[0]), *key[1:]), strict=True))


def _case_counts(contributions: dict[int, dict[Key, Counts]]) -> list[CaseCount]:
    """The per-case rows of the rollups, with the unit each case is about (涉及单位)."""
    concerned = dict(
        Case.objects.filter(pk__in=list(contributions)).values_list("pk", "unit_concerned_id")
    )
    return [
        CaseCount(
            case_id=case_id,
            concerned_unit_id=concerned.get(case_id) or 0,
            **_key_filter(key),
            **counts,
        )
        for case_id, per_case in contributions.items()
        for key, counts in per_case.items()
        if any(counts.values())
    ]


def _apply_delta(deltas: dict[Key, Counts]) -> None:
    for key, delta in deltas.items():
        delta = {name: n for name, n in delta.items() if n}
        if not delta:
            continue
        where = _key_filter(key)
        updated = Rollup.objects.filter(**where).update(
            **{name: F(name) + n for name, n in delta.items()}
        )
        if not updated:
            Rollup.objects.create(**where, **delta)


def _refresh_cases(case_ids: set[int]) -> int:
    """Recompute the cases' contributions and apply the differences. Caller holds the cursor."""
    if not case_ids:
        return 0
    new, repeats = contributions_of(case_ids)
    old = {
        fact.case_id: _unflatten(fact.contributions)
        for fact in CaseFact.objects.filter(case_id__in=case_ids)
    }
    deltas: dict[Key, Counts] = defaultdict(lambda: defaultdict(int))
    for case_id in case_ids:
        for key, counts in old.get(case_id, {}).items():
            for name, n in counts.items():
                deltas[key][name] -= n
        for key, counts in new.get(case_id, {}).items():
            for name, n in counts.items():
                deltas[key][name] += n
    _apply_delta(deltas)
    CaseFact.objects.filter(case_id__in=case_ids).delete()
    CaseFact.objects.bulk_create(
        [CaseFact(case_id=case_id, contributions=_flatten(c)) for case_id, c in new.items()]
    )
    CaseCount.objects.filter(case_id__in=case_ids).delete()
    CaseCount.objects.bulk_create(_case_counts(new), batch_size=2000)
    known = set(
        RepeatComplaint.objects.filter(case_id__in=repeats).values_list("case_id", flat=True)
    )
    RepeatComplaint.objects.bulk_create(
        [RepeatComplaint(case_id=c, earlier_id=e) for c, e in repeats.items() if c not in known]
    )
    return len(case_ids)


def _advance(cursor: RollupCursor, seen: list[int], now: datetime) -> None:
    """Move ``last_id`` over seen ids and over gaps older than SETTLE; remember young gaps."""
    gaps: dict[str, str] = dict(cursor.gaps or {})
    present = set(seen)
    top = max(seen) if seen else cursor.last_id
    for missing in range(cursor.last_id + 1, top):
        if missing not in present:
            gaps.setdefault(str(missing), now.isoformat())
    last = cursor.last_id
    while last < top:
        candidate = last + 1
        first_seen = gaps.get(str(candidate))
        young = first_seen is not None and now - datetime.fromisoformat(first_seen) < SETTLE
        if young and candidate not in present:
            break
        last = candidate
    cursor.gaps = {k: v for k, v in gaps.items() if int(k) > last}
    cursor.last_id = last


def rollups_apply(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Apply the events after the cursor; returns the number of cases recomputed."""
    now = now or timezone.now()
    with transaction.atomic():
        cursor = _cursor()
        rows = list(
            CaseEvent.objects.filter(pk__gt=cursor.last_id)
            .order_by("pk")
            .values_list("pk", "case_id")[:limit]
        )
        if cursor.applied_at is None and rows:
            # A fresh cursor: ids below the first visible event are not gaps to wait for.
            cursor.last_id = max(cursor.last_id, rows[0][0] - 1)
        done = _refresh_cases({case_id for _pk, case_id in rows})
        _advance(cursor, [pk for pk, _case in rows], now)
        cursor.applied_at = now
        cursor.save()
    return done


def rollups_apply_all() -> int:
    """The periodic job: apply until the log is caught up (bounded per run)."""
    total = 0
    for _round in range(50):
        done = rollups_apply(now=timezone.now())
        total += done
        if done < BATCH:
            break
    return total


def rollups_rebuild(
    *, batch: int = BATCH, set_wise: bool = True, steps: StepTimes | None = None
) -> int:
    """Recompute every rollup from the case table (the cursor is held throughout).

    Set-wise in the database (rollups_sql.py: a few ``INSERT … SELECT … GROUP BY``); with
    ``set_wise=False``, case by case through ``contributions_of`` (the definition the SQL
    follows; kept to compare the two and for the benchmark). ``steps``, when given, receives
    the time each step of the set-wise rebuild took (the benchmark prints them)."""
    with transaction.atomic():
        cursor = _cursor()
        top = CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with (steps or StepTimes()).step("empty the tables"):
            _empty()
        count = rollups_rebuild_sql(steps) if set_wise else _rebuild_per_case(batch)
        cursor.last_id, cursor.gaps, cursor.applied_at = top, {}, timezone.now()
        cursor.save()
    return count


def _empty() -> None:
    """Empty the three tables a rebuild writes: ``TRUNCATE`` on PostgreSQL (no row by row
    delete, no dead rows left for the inserts to skip), ``DELETE`` elsewhere."""
    if connection.vendor == "postgresql":
        tables = ", ".join(model._meta.db_table for model in (Rollup, CaseFact, CaseCount))
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables}")
        return
    Rollup.objects.all().delete()
    CaseFact.objects.all().delete()
    CaseCount.objects.all().delete()


def _rebuild_per_case(batch: int) -> int:
    """Sums in memory and writes in bulk: one pass over the cases, no per-key updates."""
    totals: dict[Key, Counts] = defaultdict(lambda: defaultdict(int))
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    known = set(RepeatComplaint.objects.values_list("case_id", flat=True))
    for start in range(0, len(ids), batch):
        contributions, repeats = contributions_of(ids[start : start + batch])
        for per_case in contributions.values():
            for key, counts in per_case.items():
                for name, n in counts.items():
                    totals[key][name] += n
        CaseFact.objects.bulk_create(
            [CaseFact(case_id=pk, contributions=_flatten(c)) for pk, c in contributions.items()]
        )
        CaseCount.objects.bulk_create(_case_counts(contributions), batch_size=5000)
        RepeatComplaint.objects.bulk_create(
            [RepeatComplaint(case_id=c, earlier_id=e) for c, e in repeats.items() if c not in known]
        )
    Rollup.objects.bulk_create(
        [Rollup(**_key_filter(key), **counts) for key, counts in totals.items()],
        batch_size=5000,
    )
    return len(ids)


def live_totals(
    *, batch: int = BATCH, case_filter: dict[str, Any] | None = None
) -> dict[Key, Counts]:
    """Σ of every case's contribution computed now from the case table (no rollup read)."""
    totals: dict[Key, Counts] = defaultdict(lambda: defaultdict(int))
    ids = list(
        Case.objects.filter(**(case_filter or {})).order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(ids), batch):
        contributions, _repeats = contributions_of(ids[start : start + batch])
        for per_case in contributions.values():
            for key, counts in per_case.items():
                for name, n in counts.items():
                    totals[key][name] += n
    return totals


def rollup_totals(model: Any = Rollup) -> dict[Key, Counts]:
    """Stored counts per key: of the rollup table, or summed from the per-case rows."""
    totals: dict[Key, Counts] = defaultdict(lambda: defaultdict(int))
    for row in model.objects.values(*KEY_FIELDS, *MEASURES).iterator(chunk_size=5000):
        key = (row["day"].isoformat(), *(row[f] for f in KEY_FIELDS[1:]))
        for name in MEASURES:
            if row[name]:
                totals[key][name] += row[name]  # type: ignore[index]
    return totals


def _differences(live: dict[Key, Counts], stored: dict[Key, Counts], what: str) -> list[str]:
    problems = []
    for key in sorted(set(live) | set(stored)):
        a = {k: v for k, v in live.get(key, {}).items() if v}
        b = stored.get(key, {})
        for name in MEASURES:
            if a.get(name, 0) != b.get(name, 0):
                problems.append(
                    f"{'/'.join(str(part) for part in key)} {name}: "
                    f"{what} {b.get(name, 0)} live {a.get(name, 0)}"
                )
    return problems


def _concerned_differences() -> list[str]:
    """Per-case rows whose unit concerned is not the case's (any more)."""
    wrong = (
        CaseCount.objects.annotate(
            actual=Coalesce(
                Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("unit_concerned_id")),
                0,
                output_field=BigIntegerField(),
            )
        )
        .exclude(concerned_unit_id=F("actual"))
        .values_list("case_id", "concerned_unit_id", "actual")
        .distinct()
    )
    return [f"case {c} unit concerned: counted {s} live {a}" for c, s, a in wrong[:1000]]


def rollups_check() -> list[str]:
    """Differences between the rollups (and their per-case rows) and a live computation."""
    live = live_totals()
    return (
        _differences(live, rollup_totals(Rollup), "rollup")
        + _differences(live, rollup_totals(CaseCount), "per-case")
        + _concerned_differences()
    )
