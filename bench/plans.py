"""Query-plan checks of the hot queries at scale on PostgreSQL.

    python bench/plans.py            1 000 000 cases
    python bench/plans.py --quick       30 000 cases

Runs tests/perf/test_plans.py (the sweep's due clocks, a handler's workbench, the tracking
lookup, the case list filters, the month scorecard) against a throwaway test database on the
PostgreSQL server of DATABASE_URL (default: the local server), with that many cases inserted in
bulk and analysed. Every hot query must avoid a sequential scan of the big tables. CI runs the
same tests at 30 000 cases in its PostgreSQL step.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _db import ROOT, machine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 000 cases instead of 1 000 000")
    parser.add_argument("--cases", type=int)
    args = parser.parse_args()
    cases = args.cases or (30_000 if args.quick else 1_000_000)
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        ),
        "XIAONENG_PLAN_CASES": str(cases),
        "XIAONENG_DATA_DIR": os.environ.get("XIAONENG_DATA_DIR", str(ROOT / "var" / "bench")),
    }
    print(machine())
    print(f"query plans at {cases:,} cases (PostgreSQL)")
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/perf",
            "-p",
            "no:randomly",
            "--create-db",
            "-q",
            "-rA",
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )
    verdict = "all passed" if result.returncode == 0 else "FAILED"
    print(f"plan checks: {verdict} in {time.perf_counter() - started:.0f} s")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
