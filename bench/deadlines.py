"""Working-day additions per second: Xiaoneng's index against chinese_calendar.find_workday.

Needs no Django: the arithmetic is pure Python. The calendar is built straight from the
chinesecalendar package, as ``xiaoneng calendar load`` would store it. Budget (DESIGN.md §9):
at least 500 000 additions per second; the figure is single-threaded, so 2 cores leave one free.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

try:
    import xiaoneng  # noqa: F401
except ImportError:  # Run from a checkout without the package installed.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import chinese_calendar
from chinese_calendar import constants

from xiaoneng.workdays.arithmetic import WorkCalendar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _db import machine

GOAL_PER_SECOND = 500_000
RUNS = 5


def build_calendar() -> WorkCalendar:
    overrides = dict.fromkeys(constants.holidays, False)
    overrides.update(dict.fromkeys(constants.workdays, True))
    years = {day.year for day in overrides}
    return WorkCalendar(overrides, years)


def sample(count: int, seed: int = 20260930) -> list[tuple[date, int]]:
    """Random starts in 2004–2025 with 1–30 working days, so every result is official data."""
    rng = random.Random(seed)
    first = date(2004, 1, 1)
    span = (date(2025, 12, 31) - first).days
    return [(first + timedelta(days=rng.randrange(span)), rng.randint(1, 30)) for _ in range(count)]


def rate(function, cases: list[tuple[date, int]], min_seconds: float) -> float:
    """Calls per second, repeating the batch until at least ``min_seconds`` have passed."""
    calls = 0
    began = time.perf_counter()
    while True:
        for start, n in cases:
            function(start, n)
        calls += len(cases)
        elapsed = time.perf_counter() - began
        if elapsed >= min_seconds:
            return calls / elapsed


def spread(values: list[float]) -> str:
    return f"(min {min(values):,.0f}, max {max(values):,.0f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run for make bench")
    args = parser.parse_args(argv)
    min_seconds = 0.5 if args.quick else 3.0

    began = time.perf_counter()
    cal = build_calendar()
    build_ms = (time.perf_counter() - began) * 1000
    cases = sample(20_000 if args.quick else 100_000)
    reference_cases = cases[:2_000]

    # Same answers first: a fast wrong answer is worth nothing. find_workday counts from the
    # first working day on or after its start (its "0 includes today"), whereas the law does
    # not count the start day; on a non-working start they differ by that roll forward.
    for start, n in reference_cases:
        expected = chinese_calendar.find_workday(n, start)
        got = cal.add_workdays(cal.roll_forward(start), n)
        if got != expected:
            print(f"MISMATCH {start} + {n}: {got} != {expected}", file=sys.stderr)
            return 1

    def theirs_once(start: date, n: int) -> date:
        return chinese_calendar.find_workday(n, start)

    ours_runs = [rate(cal.add_workdays, cases, min_seconds) for _ in range(RUNS)]
    theirs_runs = [rate(theirs_once, reference_cases, min_seconds) for _ in range(RUNS)]
    ours, theirs = statistics.median(ours_runs), statistics.median(theirs_runs)
    print(machine())
    print(f"calendar index built in {build_ms:.1f} ms ({cal.first} … {cal.last}); {RUNS} runs")
    print(f"xiaoneng WorkCalendar.add_workdays : {ours:>12,.0f} additions/s {spread(ours_runs)}")
    theirs_text = f"{theirs:>12,.0f} additions/s {spread(theirs_runs)}"
    print(f"chinese_calendar.find_workday      : {theirs_text}")
    print(f"ratio of the medians               : {ours / theirs:>12,.1f} ×")
    verdict = "OK" if ours >= GOAL_PER_SECOND else "BELOW GOAL"
    print(f"goal >= {GOAL_PER_SECOND:,} additions/s: {verdict}")
    return 0 if ours >= GOAL_PER_SECOND else 1


if __name__ == "__main__":
    raise SystemExit(main())
