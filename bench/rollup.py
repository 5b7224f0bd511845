"""``xiaoneng rollups rebuild``: set-wise in SQL against case by case, on PostgreSQL.

    python bench/rollup.py            200 000 generated cases (ten years of history)
    python bench/rollup.py --quick     20 000 generated cases
    python bench/rollup.py --cases N

Generates a history with ``bench_data_fill`` (the generator of ``xiaoneng bench-data``: events,
clocks, pauses, returns, ratings, repeats) in a database of its own (``xiaoneng_bench_rollup``,
or BENCH_ROLLUP_DB; dropped unless --keep), rebuilds the rollups case by case (the per-case
path, ``contributions_of``) and then set-wise (rollups_sql.py), checks that both wrote the same
per-case rows, rollups, case facts and repeat links, and prints each time per case and the
time 10 000 000 cases would take at that rate (an extrapolation: the set-wise statements are
sorts, hash joins and window functions, close to linear in the rows they read; say so when
quoting it). Issue #25 item 7: 10 000 000 cases in under 10 minutes.
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


def timed_rebuild(set_wise: bool, steps: list[dict[str, float]] | None = None) -> float:
    from xiaoneng.assessment.models import RepeatComplaint
    from xiaoneng.assessment.rollups import rollups_rebuild

    RepeatComplaint.objects.all().delete()  # Both paths then write every link.
    split: dict[str, float] = {}
    started = time.perf_counter()
    rollups_rebuild(set_wise=set_wise, steps=split)
    if steps is not None:
        steps.append(split)
    return time.perf_counter() - started


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def run(cases: int, per_case_runs: int) -> int:
    from xiaoneng.cases.models import Case
    from xiaoneng.demo.benchdata import bench_data_fill

    started = time.perf_counter()
    bench_data_fill(cases=cases, years=10)
    total = Case.objects.count()
    print(f"generated {cases:,} cases ({total:,} in all) in {time.perf_counter() - started:.0f} s")
    per_case = [timed_rebuild(set_wise=False) for _ in range(per_case_runs)]
    if per_case:
        keep_copies()
    splits: list[dict[str, float]] = []
    set_wise = [timed_rebuild(set_wise=True, steps=splits) for _ in range(RUNS)]
    if per_case:
        print("set-wise against per-case results:")
        found = differences()
    else:
        print("--per-case-runs 0: set-wise only, NOT compared with the per-case rebuild")
        found = {}
    for label, times in (("case by case", per_case), ("set-wise SQL", set_wise)):
        if not times:
            continue
        median = statistics.median(times)
        print(
            f"rebuild {label}: median {median:.1f} s ({min(times):.1f}–{max(times):.1f}) over "
            f"{len(times)} run(s), {median / total * 1000:.3f} ms a case; "
            f"10 000 000 cases at this rate: {median / total * TARGET_CASES / 60:.1f} min "
            "(extrapolated)"
        )
    print(f"where the set-wise rebuild's time goes (median over the runs; load {load()}):")
    for name in splits[0]:
        seconds = statistics.median(split[name] for split in splits)
        print(f"  {name}: {seconds:.2f} s, {seconds / total * 1000:.4f} ms a case")
    if per_case:
        ratio = statistics.median(per_case) / statistics.median(set_wise)
        print(f"set-wise is ×{ratio:.1f} faster (goal: 10 000 000 cases < 10 min)")
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
    args = parser.parse_args()
    cases = args.cases or (20_000 if args.quick else 200_000)
    os.environ.setdefault("DATABASE_URL", LOCAL_POSTGRESQL)
    # The per-case rebuild of a large history takes longer than the statement timeout.
    os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")
    print(machine())
    name = os.environ.get("BENCH_ROLLUP_DB", "xiaoneng_bench_rollup")
    with BenchDatabase(name, keep=args.keep) as db:
        print(f"database: {db.engine}")
        if not db.server:
            raise SystemExit("the rollup benchmark needs PostgreSQL (bench-data uses COPY)")
        db.setup_django()
        return run(cases, args.per_case_runs)


if __name__ == "__main__":
    sys.exit(main())
