"""Importing a 12345 referral spreadsheet: rows per second, total time and peak memory.

    python bench/import_referrals.py           50 000 rows
    python bench/import_referrals.py --quick    2 000 rows

Generates an .xlsx with openpyxl (write-only), imports it with ``referral_import_run`` into a
fresh database (PostgreSQL when DATABASE_URL is set, else a temporary SQLite file), and checks
that every row became exactly one case. Memory: the parse alone is traced with tracemalloc
(it must stay flat: the file is streamed), the import with the process's peak RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _db import BenchDatabase, machine

CATEGORIES = ["教育收费", "招生入学", "学生资助", "校园安全", "有偿补课", "食品卫生", "其他"]


def generate(path: Path, rows: int) -> None:
    from django.utils import timezone
    from openpyxl import Workbook

    rng = random.Random(12345)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("工单")
    sheet.append(["工单编号", "来电时间", "来电人", "联系电话", "诉求内容", "诉求类别", "办理时限"])
    start = timezone.localtime().replace(tzinfo=None, microsecond=0) - timedelta(days=20)
    for index in range(rows):
        received = start + timedelta(seconds=index * 30)
        sheet.append(
            [
                f"12345-2026-{index:07d}",
                received,
                rng.choice("张王李赵刘陈杨黄") + rng.choice(["伟", "芳", "娜", "敏", "静", "强"]),
                f"13{rng.randrange(10**9):09d}",
                f"市民来电反映第{rng.randrange(1, 40)}中学相关问题，编号{index}，请核实处理并答复。"
                + "具体情况：" * rng.randrange(1, 6),
                rng.choice(CATEGORIES),
                (received + timedelta(days=rng.choice([5, 10, 15]))).date(),
            ]
        )
    book.save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 000 rows instead of 50 000")
    parser.add_argument("--rows", type=int)
    parser.add_argument("--mode", default="all-or-nothing", choices=["all-or-nothing", "good-rows"])
    parser.add_argument("--keep", action="store_true", help="keep the database and the file")
    args = parser.parse_args(argv)
    rows = args.rows or (2_000 if args.quick else 50_000)
    print(machine())
    with BenchDatabase("xiaoneng_bench_referrals", keep=args.keep) as db:
        db.setup_django()
        print(f"database: {db.engine}")
        from django.contrib.auth import get_user_model

        from xiaoneng.cases.models import Case
        from xiaoneng.referrals.services import referral_import_preview, referral_import_run

        path = db.tmp / "referrals.xlsx"
        began = time.perf_counter()
        generate(path, rows)
        size = path.stat().st_size
        print(
            f"generated {rows:,} rows: {size / 1e6:.1f} MB in {time.perf_counter() - began:.1f} s"
        )

        tracemalloc.start()
        began = time.perf_counter()
        preview = referral_import_preview(file=path)
        parse_seconds = time.perf_counter() - began
        _current, parse_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"parse + validate only: {parse_seconds:.1f} s ({rows / parse_seconds:,.0f} rows/s, "
            f"traced peak {parse_peak / 1e6:.1f} MB)"
        )
        if preview.error_rows:
            print(f"FAIL: generated file has {preview.error_rows} bad rows: {preview.errors[:3]}")
            return 1

        user = get_user_model().objects.get(username="intake")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        shown = {"last": 0.0}

        def progress(phase: str, done: int, total: int) -> None:
            if phase == "import" and time.perf_counter() - shown["last"] > 10:
                shown["last"] = time.perf_counter()
                # One pass (all or nothing): the rows read so far, the total only at the end.
                print(f"  imported {done:,}" + (f"/{total:,}" if total else ""), flush=True)

        began, cpu = time.perf_counter(), time.process_time()
        report = referral_import_run(by=user, file=path, mode=args.mode, progress=progress)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cases = Case.objects.filter(channel="hotline", external_number__startswith="12345-").count()
        print(
            f"import of {rows:,} rows ({args.mode}): {seconds:.1f} s, "
            f"{rows / seconds:,.0f} rows/s; "
            f"CPU of this process {cpu:.1f} s, {rows / cpu:,.0f} rows/s of its CPU "
            f"(PostgreSQL's own time not included)"
        )
        print(
            f"peak RSS of the process: {rss_after / 1024:.0f} MB "
            f"(before the import {rss_before / 1024:.0f} MB)"
        )
        print(f"report: {report.status}, created {report.created:,}, skipped {report.skipped:,}, ")
        ok = report.status == "done" and report.created == rows and cases == rows
        print(f"cases in the database: {cases:,} == rows {rows:,}: {ok}")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
