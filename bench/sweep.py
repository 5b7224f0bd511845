"""The sweeper over many open cases on PostgreSQL, with 1 % of them crossing a threshold.

    python bench/sweep.py            1 000 000 open cases (DESIGN.md §9: sweep < 2 s, no full scan)
    python bench/sweep.py --quick    100 000 open cases

Cases and their reply clocks are inserted in bulk with INSERT … SELECT generate_series into a
database of their own (``xiaoneng_bench_sweep`` on the local server, dropped afterwards unless
--keep). 94 % of the clocks are due in the future and not checked until then; six slices of
1 % have crossed a threshold (a third each the pre-warning, the deadline, the red-card grace,
with the cards below already raised), and each timed run sweeps one slice: one card per
crossing clock, with the timeline events, notifications, violations and audit rows that go
with it. Prints each run with one sweeper and then with --workers sweeper processes (default one per
core, sharing the clocks through SKIP LOCKED), the median and spread, the CPU time the
sweepers used (the wall time on a loaded machine says little alone), the idle sweep, and the
plan of the query that picks the due clocks (it must be an index scan on the next checks'
index over (next_check_at, clock), with no sort).
Set BENCH_SWEEP_DB to use another database name.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _db import machine  # noqa: E402

SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
RUNS = 3
# One 1 % slice of crossing clocks per timed run: RUNS with one sweeper, RUNS with several.
SLICES = 2 * RUNS
DB_NAME = os.environ.get("BENCH_SWEEP_DB", "xiaoneng_bench_sweep")


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
    # Filling a million rows takes longer than the application's statement timeout.
    os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")
    os.environ.setdefault("XIAONENG_DATA_DIR", str(ROOT / "var" / "bench"))
    import django

    django.setup()


# The columns of a generated case that matter to the sweep; every other column takes its
# model default (so a column added later does not break the benchmark).
CASE_VALUES = {
    "number": "'BN' || g",
    "tracking_code": "'T' || g",
    "channel": "'hotline'",
    "kind": "'complaint'",
    "category_id": "%(category)s",
    "title": "'测试工单'",
    "content": "'基准测试内容'",
    "unit_id": "%(unit)s",
    "state": "'in_progress'",
    "lead_department_id": "%(lead)s",
    "policy_version_id": "%(version)s",
    "registered_at": "now() - interval '3 days'",
    "updated_at": "now()",
}


def case_insert_sql() -> str:
    """INSERT … SELECT generate_series for open cases, with model defaults elsewhere."""
    from django.db import connection

    from xiaoneng.cases.models import Case

    columns, values = [], []
    for field in Case._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column in CASE_VALUES:
            values.append(CASE_VALUES[field.column])
        elif field.has_default():
            value = field.get_db_prep_save(field.get_default(), connection)
            values.append(_literal(value))
        elif field.null:
            values.append("NULL")
        else:
            values.append("''")
    return (
        f"INSERT INTO cases_case ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM generate_series(1, %(n)s) AS g"
    )


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''").replace("%", "%%") + "'"


def fill(cases: int, crossing: int) -> None:
    """Insert ``cases`` open, dispatched cases with running reply clocks in bulk."""
    from django.db import connection

    from xiaoneng.cases.models import Category
    from xiaoneng.catalog.selectors import policy_current_version
    from xiaoneng.org.models import Department

    category = Category.objects.get(code="fees")
    lead = Department.objects.get(unit__code="bureau", code="basic")
    version = policy_current_version(code="hotline-complaint")
    params = {
        "n": cases,
        "crossing": crossing,
        "category": category.pk,
        "lead": lead.pk,
        "unit": lead.unit_id,
        "version": version.pk,
        "slices": SLICES,
    }
    with connection.cursor() as cursor:
        cursor.execute(case_insert_sql(), params)
        # 6 % cross a threshold, in six slices of 1 % (one per timed run, parked until its
        # turn); the rest are due in 20 days and checked only then. Within a slice a third
        # cross each of the three thresholds, and the cards below it are already raised, so
        # every crossing clock raises exactly one card, as in a real minute of sweeping.
        starts = crossing_starts(version)
        params.update({f"start_{level}": moment for level, moment in starts.items()})
        cursor.execute(
            """
            INSERT INTO workdays_clock (
                owner_type, owner_id, stage, policy_version_id, unit_id, counting, "limit",
                count_start, started_at, state, stop_reason, due_at, provisional,
                created_at, updated_at
            )
            SELECT 'cases.case', c.id, 'reply', %(version)s, %(unit)s, 'workdays', 15, false,
                   CASE WHEN c.id %% 100 >= %(slices)s THEN c.registered_at
                        WHEN c.id / 100 %% 3 = 0 THEN %(start_prewarn)s
                        WHEN c.id / 100 %% 3 = 1 THEN %(start_yellow)s
                        ELSE %(start_red)s END,
                   'running', '', now() + interval '20 days', false, now(), now()
            FROM cases_case AS c
            """,
            params,
        )
        # The next checks (``workdays_clockcheck``): in 19 days for the clocks not crossing;
        # none yet for the slices, which ``release`` makes due one at a time.
        cursor.execute(
            """
            INSERT INTO workdays_clockcheck (clock_id, owner_type, next_check_at)
            SELECT id, owner_type, now() + interval '19 days' FROM workdays_clock
            WHERE owner_id %% 100 >= %(slices)s
            """,
            params,
        )
        for level, lower in (("yellow", ["prewarn"]), ("red", ["prewarn", "yellow"])):
            group = 1 if level == "yellow" else 2
            for below in lower:
                cursor.execute(
                    """
                    INSERT INTO cases_signal (clock_id, case_id, unit_id, level, raised_at,
                                              revoked)
                    SELECT k.id, k.owner_id, k.unit_id, %s, now() - interval '1 day', false
                    FROM workdays_clock AS k
                    WHERE k.owner_id %% 100 < %s AND k.owner_id / 100 %% 3 = %s
                    """,
                    [below, SLICES, group],
                )
        cursor.execute("ANALYZE cases_case; ANALYZE workdays_clock; ANALYZE workdays_clockcheck;")


def crossing_starts(version) -> dict[str, object]:
    """A start moment for each threshold, found with the real threshold arithmetic: the latest
    start whose clock has crossed that threshold (and no higher one) by now."""
    from datetime import timedelta

    from django.utils import timezone

    from xiaoneng.workdays.calendar import get_calendar
    from xiaoneng.workdays.deadlines import office_tz
    from xiaoneng.workdays.models import Clock
    from xiaoneng.workdays.periods import Counting, compute_period
    from xiaoneng.workdays.selectors import clock_thresholds

    now = timezone.now()
    found: dict[str, object] = {}
    for days in range(1, 90):
        start = now - timedelta(days=days)
        clock = Clock(
            stage="reply", policy_version=version, unit_id=None, counting="workdays",
            limit=15, count_start=False, started_at=start, state=Clock.State.RUNNING,
        )  # fmt: skip
        period = compute_period(
            get_calendar(None), counting=Counting.WORKDAYS, start=start, limit=15, tz=office_tz()
        )
        passed = [t.kind for t in clock_thresholds(clock, period=period) if t.at <= now]
        level = {"prewarn": "prewarn", "due": "yellow", "red": "red"}.get(
            passed[-1] if passed else ""
        )
        if level and level not in found:
            found[level] = start
        if len(found) == 3:
            return found
    raise SystemExit(f"no start crosses every threshold: {found}")


def release(slice_: int) -> int:
    """Make one 1 % slice of crossing clocks due now; returns how many."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO workdays_clockcheck (clock_id, owner_type, next_check_at) "
            "SELECT k.id, k.owner_type, now() - interval '1 minute' FROM workdays_clock AS k "
            "WHERE k.owner_id %% 100 = %s AND k.state = 'running' AND NOT EXISTS "
            "(SELECT 1 FROM workdays_clockcheck AS c WHERE c.clock_id = k.id)",
            [slice_],
        )
        return cursor.rowcount


def plan() -> str:
    from django.db import connection, transaction
    from django.utils import timezone

    from xiaoneng.cases import clocks

    with transaction.atomic():
        queryset = clocks.due_for_check(now=timezone.now(), limit=500)
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())


def timed_sweep(workers: int) -> tuple[object, float, float]:
    """One sweep of everything due: its result, wall time and CPU time of the sweeping
    processes (this one, or the worker processes)."""
    import resource

    from django.utils import timezone

    from xiaoneng.cases.sweeps import sweep, sweep_parallel

    def cpu() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    cpu0, started = cpu(), time.perf_counter()
    if workers == 1:
        result = sweep(now=timezone.now())
    else:
        result = sweep_parallel(workers=workers, now=timezone.now())
    return result, time.perf_counter() - started, cpu() - cpu0


def run(cases: int, workers: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from xiaoneng.cases.sweeps import sweep
    from xiaoneng.demo.services import demo_load

    call_command("migrate", verbosity=0)
    demo_load()
    crossing = cases // 100
    started = time.perf_counter()
    fill(cases, crossing)
    print(f"filled {cases:,} open cases and clocks in {time.perf_counter() - started:.1f} s")
    query_plan = plan()
    print("plan of the due-clock query:")
    print("  " + query_plan.replace("\n", "\n  "))
    print(f"index used: {'workdays_clockcheck_due' in query_plan}")
    print(f"sorts every due clock: {'Sort' in query_plan}")
    print(f"sequential scan of the clocks: {'Seq Scan on workdays_clock' in query_plan}")
    slice_ = 0
    for count in dict.fromkeys([1, workers]):
        times, cpus = [], []
        for index in range(RUNS):
            released = release(slice_)
            slice_ += 1
            result, wall, cpu = timed_sweep(count)
            times.append(wall)
            cpus.append(cpu)
            print(
                f"{count} sweeper(s), run {index + 1}: {released:,} clocks due, "
                f"{result.summary()}: {wall:.2f} s (CPU of the sweepers {cpu:.2f} s)"
            )
        median = statistics.median(times)
        print(
            f"sweep over {cases:,} open cases with {crossing:,} crossing one threshold each, "
            f"{count} sweeper process(es): median {median:.2f} s "
            f"({min(times):.2f}–{max(times):.2f}) over {RUNS} runs, "
            f"{crossing / median:,.0f} crossing clocks/s, sweepers' CPU "
            f"{statistics.median(cpus):.2f} s (goal < 2 s at 1 000 000)"
        )
    idle_times = []
    for _ in range(5):
        t0 = time.perf_counter()
        idle = sweep(now=timezone.now())
        idle_times.append(time.perf_counter() - t0)
    print(
        f"idle sweep (nothing due) median {statistics.median(idle_times) * 1000:.1f} ms, "
        f"spread {min(idle_times) * 1000:.1f}–{max(idle_times) * 1000:.1f} ms; "
        f"raised {sum(idle.raised.values())}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100 000 cases instead of 1 000 000")
    parser.add_argument("--cases", type=int)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="sweepers at once (one per core)"
    )
    args = parser.parse_args()
    cases = args.cases or (100_000 if args.quick else 1_000_000)
    print(machine())
    admin(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin(f"CREATE DATABASE {DB_NAME}")
    try:
        setup_django()
        run(cases, args.workers)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin(f"DROP DATABASE IF EXISTS {DB_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
