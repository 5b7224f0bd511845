"""Triage benchmark: training time and suggestion latency at 100 000 historic cases, accuracy
(top-1, top-3) on the hand-written requests of tests/triage/data/routing.tsv, and near-duplicate
precision and recall on the hand-written pairs of tests/triage/data/duplicates.tsv.

The history is 100 000 requests of the demo's generator (src/xiaoneng/demo/texts.py) labelled
with their department, plus the bureau's written remits, fed to the same training code the
platform runs (xiaoneng.triage.classifier); reading them from the database is not timed.

    python bench/triage.py [--cases 100000] [--seed 2026] [--misses]
    python bench/triage.py --quick          20 000 historic cases (make bench)
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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")

import django  # noqa: E402

django.setup()

from xiaoneng.demo import data  # noqa: E402
from xiaoneng.demo.texts import requests  # noqa: E402
from xiaoneng.triage.classifier import (  # noqa: E402
    Example,
    dumps,
    evaluate,
    remit_examples_of,
    timed_train,
)
from xiaoneng.triage.similarity import DUPLICATE, Probe, compare  # noqa: E402
from xiaoneng.triage.text import school_aliases  # noqa: E402

DATA = ROOT / "tests" / "triage" / "data"
SCHOOLS = {
    alias: pk
    for pk, (_code, _name, short) in enumerate(data.SCHOOLS, start=1)
    for alias in school_aliases(short)
}


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def _remits() -> list[Example]:
    """The bureau's remits, split into examples as the platform does (triage.selectors)."""
    found = []
    for code, name, remit in data.BUREAU_DEPARTMENTS:
        found += remit_examples_of(code, name, remit)
    return found


def _school(name: str, text: str) -> int | None:
    if name.strip():
        return _school(" ", name.strip())
    names = sorted(SCHOOLS.items(), key=lambda item: -len(item[0]))
    return next((pk for school, pk in names if school in text), None)


def routing(cases: int, show_misses: bool, seed: int = 2026) -> None:
    history = [
        Example(text=f"{title} {content}", label=department, case_id=i, number=f"B{i:06d}")
        for i, (_category, department, title, content) in enumerate(requests(cases, seed=seed))
    ]
    tests = [(text, department) for department, text in _rows("routing.tsv")]
    remits_only = evaluate(timed_train(_remits())[0], tests)
    print(
        f"remits alone on {remits_only.count} hand-written requests: "
        f"top-1 {remits_only.top1:.1%}, top-3 {remits_only.top3:.1%}"
    )
    router, seconds = timed_train(_remits() + history)
    print(
        f"history: {cases} cases (seed {seed}); training {seconds:.1f} s; "
        f"model {len(dumps(router)) / 1e6:.1f} MB"
    )
    accuracy = evaluate(router, tests)
    print(
        f"routing on {accuracy.count} hand-written requests: top-1 {accuracy.top1:.1%}, "
        f"top-3 {accuracy.top3:.1%}"
    )
    known = [len(router.suggest(text)) for text, _d in tests]
    latencies = []
    for _round in range(5):
        for text, _department in tests:
            started = time.perf_counter()
            router.suggest(text)
            latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(
        f"suggestion latency over {len(latencies)} calls: "
        f"p50 {statistics.median(latencies):.1f} ms, p99 {p99:.1f} ms; "
        f"texts with no known word: {known.count(0)}"
    )
    if show_misses:
        for text, expected, ranked in accuracy.misses:
            print(f"  miss: {expected} → {' / '.join(ranked)}  {text}")


def duplicates(show_misses: bool) -> None:
    pairs = _rows("duplicates.tsv")
    scored = []
    for label, school_a, text_a, school_b, text_b in pairs:
        a = Probe.of(text_a, school_id=_school(school_a, text_a))
        b = Probe.of(text_b, school_id=_school(school_b, text_b))
        scored.append((compare(a, b).score, label == "1", text_a, text_b))
    for threshold in sorted({DUPLICATE, 0.35, 0.4, 0.5, 0.55}):
        tp = sum(1 for s, same, *_ in scored if s >= threshold and same)
        fp = sum(1 for s, same, *_ in scored if s >= threshold and not same)
        fn = sum(1 for s, same, *_ in scored if s < threshold and same)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        mark = "  ← in use" if threshold == DUPLICATE else ""
        print(
            f"duplicates at {threshold:.2f} on {len(scored)} pairs: precision {precision:.1%}, "
            f"recall {recall:.1%} (tp {tp}, fp {fp}, fn {fn}){mark}"
        )
    if show_misses:
        for score, same, text_a, text_b in scored:
            if (score >= DUPLICATE) != same:
                kind = "missed" if same else "false"
                print(f"  {kind} {score:.2f}: {text_a} | {text_b}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int)
    parser.add_argument("--quick", action="store_true", help="20 000 cases instead of 100 000")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--seed", type=int, default=2026, help="the history generator's seed")
    parser.add_argument("--duplicates-only", action="store_true")
    args = parser.parse_args()
    cases = args.cases or (20_000 if args.quick else 100_000)
    duplicates(args.misses)
    if not args.duplicates_only:
        routing(cases, args.misses, args.seed)


if __name__ == "__main__":
    main()
