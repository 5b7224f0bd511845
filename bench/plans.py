"""Query-plan checks of the hot queries at scale on PostgreSQL.

    python bench/plans.py            1 000 000 cases
    python bench/plans.py --quick       50 000 cases

Runs tests/perf/test_plans.py (the sweep's due clocks, the workbench, the tracking lookup, the
office and API case lists, the month scorecard) on the PostgreSQL server of DATABASE_URL
(default: the local server). Below 50 000 cases the test generates them itself
(`bench-data`) in a throwaway test database; from 50 000 on, the test database is a copy of
bench's template database holding that many (built once). Every hot query must avoid a
sequential scan of the big tables. CI runs the same test at 30 000 cases.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _db import LOCAL_POSTGRESQL, QUICK_CASES, ROOT, BenchDatabase, machine

FROM_TEMPLATE = QUICK_CASES


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 000 cases instead of 1 000 000")
    parser.add_argument("--cases", type=int)
    args = parser.parse_args()
    cases = args.cases or (QUICK_CASES if args.quick else 1_000_000)
    print(machine())
    print(f"query plans at {cases:,} cases (PostgreSQL)")
    started = time.perf_counter()
    if cases >= FROM_TEMPLATE:
        # The test database "test_<name>" is the template's copy; pytest reuses it as it is.
        database = BenchDatabase("test_xiaoneng_bench_plans", cases=cases)
        url = f"{database.server}/xiaoneng_bench_plans"
        flags, planned = ["--reuse-db"], "0"
    else:
        database = nullcontext()
        url = os.environ.get("DATABASE_URL", LOCAL_POSTGRESQL)
        flags, planned = ["--create-db"], str(cases)
    with database:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "XIAONENG_PLAN_CASES": planned,
            "XIAONENG_PLAN_MIN": str(cases),
            "XIAONENG_DATA_DIR": os.environ.get("XIAONENG_DATA_DIR", str(ROOT / "var" / "bench")),
        }
        # The plan checks only: the other tests in tests/perf expect an empty database.
        command = [
            sys.executable,
            "-m",
            "pytest",
            "tests/perf/test_plans.py",
            "-p",
            "no:randomly",
            *flags,
        ]
        result = subprocess.run([*command, "-q", "-rA"], cwd=ROOT, env=env, check=False)
    verdict = "all passed" if result.returncode == 0 else "FAILED"
    print(f"plan checks: {verdict} in {time.perf_counter() - started:.0f} s")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
