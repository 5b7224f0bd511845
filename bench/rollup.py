"""``xiaoneng rollups rebuild``: set-wise in SQL against case by case, on PostgreSQL.

    python bench/rollup.py            200 000 generated cases (ten years of history)
    python bench/rollup.py --quick     20 000 generated cases
    python bench/rollup.py --cases N
    python bench/rollup.py --template --cases 1000000 --per-case-runs 0 --explain /tmp/plans

Generates a history with ``bench_data_fill`` (the generator of ``xiaoneng bench-data``: events,
clocks, pauses, returns, ratings, repeats) in a database of its own (``xiaoneng_bench_rollup``,
or BENCH_ROLLUP_DB; dropped unless --keep), rebuilds the rollups case by case (the per-case
path, ``contributions_of``) and then set-wise (rollups_sql.py), checks that both wrote the same
per-case rows, rollups, case facts and repeat links, and prints each time per case and the
time 10 000 000 cases would take at that rate (an extrapolation: the set-wise statements are
sorts, hash joins and window functions, close to linear in the rows they read; say so when
quoting it). Issue #25 item 7: 10 000 000 cases in under 10 minutes.

``--template`` starts from a copy of the benchmark template with that many cases (``_db.py``:
built once by ``xiaoneng bench-data``, kept) instead of generating the history in the run;
with ``--per-case-runs 0`` the set-wise rows are then compared with the rows the template's
own rebuild wrote. Each step is timed in wall time and in CPU time of this process and its
database backend (read from /proc: the server must be on this machine), which a loaded
machine inflates far less. ``--explain DIR`` runs the steps once more under
``EXPLAIN (ANALYZE, BUFFERS)`` in a transaction that is rolled back and writes the plans there.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from _db import LOCAL_POSTGRESQL, BenchDatabase, machine  # noqa: E402

TARGET_CASES = 10_000_000
RUNS = 3
COLUMNS = {
    "assessment_casecount": "case_id, day, unit_id, department_id, channel, kind, "
    "category_id, concerned_unit_id, received, dispatched, signed, signed_on_time, replied, "
    "replied_on_time, reply_workdays, rated, satisfied, basically, unsatisfied, resolved, "
    "unrated, returned, reopened, repeat",
    "assessment_rollup": "day, unit_id, department_id, channel, kind, category_id, received, "
    "dispatched, signed, signed_on_time, replied, replied_on_time, reply_workdays, rated, "
    "satisfied, basically, unsatisfied, resolved, unrated, returned, reopened, repeat",
    "assessment_casefact": "case_id, contributions",
    "assessment_repeatcomplaint": "case_id, earlier_id",
}


def keep_copies() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table, columns in COLUMNS.items():
            cursor.execute(f"DROP TABLE IF EXISTS per_case_{table}")
            cursor.execute(f"CREATE TABLE per_case_{table} AS SELECT {columns} FROM {table}")


def differences() -> dict[str, int]:
    """Rows in one result and not the other (as multisets), per table."""
    from django.db import connection

    found = {}
    with connection.cursor() as cursor:
        for table, columns in COLUMNS.items():
            cursor.execute(
                f"SELECT (SELECT COUNT(*) FROM (SELECT {columns} FROM {table} EXCEPT ALL "
                f"SELECT {columns} FROM per_case_{table}) a) + (SELECT COUNT(*) FROM "
                f"(SELECT {columns} FROM per_case_{table} EXCEPT ALL SELECT {columns} "
                f"FROM {table}) b), (SELECT COUNT(*) FROM {table})"
            )
            diff, rows = cursor.fetchone()
            found[table] = diff
            print(f"  {table}: {rows:,} rows, {diff} differ")
    return found


def backend_cpu() -> Callable[[], float]:
    """CPU seconds of this process plus its database backend (utime + stime from /proc)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    stat = Path(f"/proc/{pid}/stat")
    ticks = os.sysconf("SC_CLK_TCK")
    if not stat.exists():
        raise SystemExit("the database backend is not on this machine: no CPU time to read")

    def clock() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return time.process_time() + (int(fields[11]) + int(fields[12])) / ticks

    return clock


def timed_rebuild(set_wise: bool, steps: list[Any] | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one rebuild."""
    from xiaoneng.assessment.models import RepeatComplaint
    from xiaoneng.assessment.rollups import rollups_rebuild
    from xiaoneng.assessment.rollups_sql import StepTimes

    RepeatComplaint.objects.all().delete()  # Both paths then write every link.
    clock = backend_cpu()
    split = StepTimes(clock)
    started, cpu = time.perf_counter(), clock()
    rollups_rebuild(set_wise=set_wise, steps=split)
    if steps is not None:
        steps.append(split)
    return time.perf_counter() - started, clock() - cpu


def explain(directory: Path) -> None:
    """Each step of a set-wise rebuild under EXPLAIN (ANALYZE, BUFFERS), rolled back."""
    from django.db import connection, transaction

    from xiaoneng.assessment.rollups import _cursor, _empty
    from xiaoneng.assessment.rollups_sql import StepTimes, rebuild_prepare, rebuild_statements

    directory.mkdir(parents=True, exist_ok=True)
    print(f"plans (EXPLAIN ANALYZE, BUFFERS; rolled back) in {directory}, load {load()}:")
    with transaction.atomic(), connection.cursor() as cursor:
        _cursor()
        _empty()
        indexes = rebuild_prepare(cursor, StepTimes())
        for number, (name, sql, params) in enumerate(rebuild_statements(indexes), start=1):
            if not sql.lstrip().upper().startswith(("INSERT", "WITH")):
                started = time.perf_counter()  # SET, CREATE INDEX, ADD CONSTRAINT: no plan.
                cursor.execute(sql, params)
                print(f"  {name}: {(time.perf_counter() - started) * 1000:.0f} ms ({sql[:60]})")
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, VERBOSE) {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            path = directory / f"{number}-{name.replace(' ', '-')}.txt"
            path.write_text(f"-- {name}\n{sql}\n\n{plan}\n")
            total = [line for line in plan.splitlines() if line.startswith("Execution Time")]
            print(f"  {name}: {total[0] if total else '?'} ({path.name})")
        transaction.set_rollback(True)


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def run(cases: int, per_case_runs: int, generate: bool, explain_to: Path | None, runs: int) -> int:
    from xiaoneng.cases.models import Case

    if generate:
        from xiaoneng.demo.benchdata import bench_data_fill

        started = time.perf_counter()
        bench_data_fill(cases=cases, years=10)
        print(f"generated {cases:,} cases in {time.perf_counter() - started:.0f} s")
    total = Case.objects.count()
    print(f"{total:,} cases in all, load {load()}")
    per_case = [timed_rebuild(set_wise=False) for _ in range(per_case_runs)]
    compared = "the per-case rebuild"
    if per_case:
        keep_copies()
    elif not generate:
        keep_copies()
        compared = "the rows the template's own rebuild wrote (NOT the per-case rebuild)"
    splits: list[Any] = []
    set_wise = [timed_rebuild(set_wise=True, steps=splits) for _ in range(runs)]
    if per_case or not generate:
        print(f"set-wise against {compared}:")
        found = differences()
    else:
        print("--per-case-runs 0: set-wise only, NOT compared with the per-case rebuild")
        found = {}
    for label, times in (("case by case", per_case), ("set-wise SQL", set_wise)):
        if not times:
            continue
        wall = statistics.median(t[0] for t in times)
        cpu = statistics.median(t[1] for t in times)
        print(
            f"rebuild {label}: median {wall:.1f} s ({min(t[0] for t in times):.1f}–"
            f"{max(t[0] for t in times):.1f}) over {len(times)} run(s), "
            f"{wall / total * 1000:.4f} ms a case; CPU (this process and its backend) "
            f"{cpu:.1f} s, {cpu / total * 1000:.4f} ms a case; 10 000 000 cases at this rate: "
            f"{wall / total * TARGET_CASES / 60:.1f} min wall, "
            f"{cpu / total * TARGET_CASES / 60:.1f} min CPU (extrapolated)"
        )
    print(f"where the set-wise rebuild's time goes (median over the runs; load {load()}):")
    for name in splits[0].wall:
        wall = statistics.median(split.wall[name] for split in splits)
        cpu = statistics.median(split.other[name] for split in splits)
        print(
            f"  {name}: {wall:.2f} s wall, {wall / total * 1000:.4f} ms a case; "
            f"CPU {cpu:.2f} s, {cpu / total * 1000:.4f} ms a case"
        )
    if per_case:
        ratio = statistics.median(t[0] for t in per_case) / statistics.median(
            t[0] for t in set_wise
        )
        print(f"set-wise is ×{ratio:.1f} faster (goal: 10 000 000 cases < 10 min)")
    if explain_to:
        explain(explain_to)
    return 1 if any(found.values()) else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="20 000 cases instead of 200 000")
    parser.add_argument("--cases", type=int)
    parser.add_argument(
        "--per-case-runs",
        type=int,
        default=1,
        help="0: time the set-wise rebuild only, without comparing (for sizes where the "
        "per-case rebuild takes too long)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--template",
        action="store_true",
        help="start from the benchmark template with --cases cases (built once, kept) instead "
        "of generating the history in the run",
    )
    parser.add_argument("--runs", type=int, default=RUNS, help=f"set-wise runs ({RUNS})")
    parser.add_argument(
        "--explain", type=Path, help="write each step's EXPLAIN (ANALYZE, BUFFERS) here"
    )
    args = parser.parse_args()
    cases = args.cases or (20_000 if args.quick else 200_000)
    os.environ.setdefault("DATABASE_URL", LOCAL_POSTGRESQL)
    # The per-case rebuild of a large history takes longer than the statement timeout.
    os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")
    print(machine())
    name = os.environ.get("BENCH_ROLLUP_DB", "xiaoneng_bench_rollup")
    with BenchDatabase(name, keep=args.keep, cases=cases if args.template else None) as db:
        print(f"database: {db.engine}")
        if not db.server:
            raise SystemExit("the rollup benchmark needs PostgreSQL (bench-data uses COPY)")
        db.setup_django()
        return run(cases, args.per_case_runs, not args.template, args.explain, args.runs)


if __name__ == "__main__":
    sys.exit(main())
