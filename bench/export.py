"""Excel export of 100 000 cases: time, peak memory, and a check of the file itself.

    python bench/export.py            3 exports from 1 000 000 generated cases
    python bench/export.py --quick    3 exports from    50 000 generated cases (all of them)

On a copy of a PostgreSQL template database of generated cases (`xiaoneng bench-data`), the
efficiency office exports the whole case list (the export stops at its 100 000-row cap) the way
a person does: a POST with the reason to /office/cases/export.xlsx, in-process through
django.test.Client. Prints the time per export (median, min–max) and how far the process's peak
resident memory rose above what it held before the first export (tracemalloc would slow the
export several times over), then opens the workbook with openpyxl and counts its rows.
Peers load every ticket into memory for a report; the export must stream.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _db import QUICK_CASES, BenchDatabase, machine
from lists import login

RUNS = 3
ROWS = 100_000


def resident_mb() -> float:
    """The process's resident memory now (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 000 cases, not 1 000 000")
    parser.add_argument("--cases", type=int)
    args = parser.parse_args()
    cases = args.cases or (QUICK_CASES if args.quick else 1_000_000)
    print(machine())
    with BenchDatabase("xiaoneng_bench_export", cases=cases) as db:
        db.setup_django()
        from django.urls import reverse
        from openpyxl import load_workbook

        from xiaoneng.cases.models import Case

        print(f"database: {db.engine}, {Case.objects.count():,} cases; {RUNS} exports")
        client = login("xiaoneng")
        url = reverse("office:case_export")
        seconds, sizes = [], []
        content = b""
        before = resident_mb()
        for _run in range(RUNS):
            began = time.perf_counter()
            response = client.post(url, {"reason": "基准测试：全量导出工单清单"})
            if response.status_code != 200:
                raise SystemExit(f"export refused: {response.status_code}")
            content = b"".join(response.streaming_content)
            seconds.append(time.perf_counter() - began)
            sizes.append(len(content) / 2**20)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        # Less the watermark note (row 1) and the column headings (row 2).
        rows = sum(1 for _row in sheet.iter_rows(values_only=True)) - 2
        print(
            f"export of {rows:,} rows: {statistics.median(seconds):.1f} s "
            f"({min(seconds):.1f}–{max(seconds):.1f}), {rows / statistics.median(seconds):,.0f} "
            f"rows/s; file {statistics.median(sizes):.1f} MB"
        )
        print(
            f"memory: {before:.0f} MB resident before the exports, peak {peak:.0f} MB: "
            f"the exports added at most {peak - before:.0f} MB (the file itself included)"
        )
        expected = min(ROWS, Case.objects.count())
        print(f"rows in the workbook {rows:,} == expected {expected:,}: {rows == expected}")
        return 0 if rows == expected else 1


if __name__ == "__main__":
    sys.exit(main())
