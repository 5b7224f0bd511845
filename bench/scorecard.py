"""A month's scorecard and ranking from the rollups, against the same figures computed live
from the case table, on PostgreSQL.

    python bench/scorecard.py --quick   100 000 cases (case table, events, clocks) → rollups
    python bench/scorecard.py           the same, plus rollup rows equivalent to 10 000 000
                                        cases (DESIGN.md §9: monthly scorecard < 1 s)

Cases with their timeline events (register, dispatch, sign for, reply, rate or close unrated)
and their sign-for and reply clocks are inserted in bulk (INSERT … SELECT generate_series) over
twelve months, with a realistic spread of channels, kinds, categories and departments, 10 %
late sign-fors, replies spread over 0–19 days against a 15-day limit, 80 % rated. The rollups
are rebuilt from them (``rollups_rebuild``). The full run then adds synthetic rollup rows for
9 900 000 more cases, in units of their own, so the scorecard reads a 10-million-case table
while the agreement check still compares every real unit with the live computation.
Generating 10 000 000 case rows with their events would take far longer than the question
needs: the scorecard never reads the case table (asserted in tests/assessment).
The database is ``xiaoneng_bench_scorecard`` on the local server (dropped unless --keep).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _db import machine  # noqa: E402

SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "xiaoneng_bench_scorecard"
CASES_PER_ROLLUP_ROW = 5  # synthetic rows: a busy key collects several cases a day
FAKE_UNIT_BASE = 1_000_000


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")
    os.environ.setdefault("XIAONENG_DATA_DIR", str(ROOT / "var" / "bench"))
    import django

    django.setup()


CHANNELS = ["hotline"] * 4 + ["efficiency_office", "phone", "phone", "online", "online", "letter"]
KINDS = ["complaint", "complaint", "complaint", "inquiry", "help", "suggestion", "report"]


def fill(cases: int) -> None:
    from django.db import connection

    from xiaoneng.cases.models import Category
    from xiaoneng.catalog.selectors import policy_current_version
    from xiaoneng.org.models import Department

    departments = list(Department.objects.order_by("pk").values_list("pk", "unit_id"))
    categories = list(Category.objects.order_by("pk").values_list("pk", flat=True))
    version = policy_current_version(code="hotline-complaint")
    params = {
        "n": cases,
        "version": version.pk,
        "channels": CHANNELS,
        "kinds": KINDS,
        "cats": categories,
        "depts": [d for d, _u in departments],
        "units": [u for _d, u in departments],
    }
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")  # bulk loading, not a request
        # Registered over the last 365 days, minute-spread; requesters repeat now and then. The
        # phone itself is encrypted, which SQL cannot do: the rows carry only its blind index
        # (a stand-in value per requester), which is all the repeat-complaint rule compares.
        cursor.execute(
            """
            INSERT INTO cases_case (
                number, tracking_code, tracking_secret_hash, external_number, channel, kind,
                category_id, title, content, person_concerned, requester_name, requester_phone,
                requester_email, requester_id_number, requester_phone_index,
                requester_id_index, is_anonymous, consent_publish, unit_id,
                state, lead_department_id, policy_version_id, reply_text, reply_grade,
                reply_pending_review, satisfaction, rating_comment, rated_by_callback,
                reopen_count, return_count, final_reason, registered_at, updated_at,
                urgent, urgency
            )
            SELECT 'BS' || g, 'S' || g, '', '',
                   (%(channels)s::text[])[1 + g %% cardinality(%(channels)s::text[])],
                   (%(kinds)s::text[])[1 + (g / 7) %% cardinality(%(kinds)s::text[])],
                   (%(cats)s::bigint[])[1 + (g / 3) %% cardinality(%(cats)s::bigint[])],
                   '测试工单', '基准测试内容', '', '', '', '', '',
                   'bench$' || lpad((g %% 40000)::text, 8, '0'), '', false, false,
                   (%(units)s::bigint[])[1 + (g / 11) %% cardinality(%(units)s::bigint[])],
                   'closed',
                   (%(depts)s::bigint[])[1 + (g / 11) %% cardinality(%(depts)s::bigint[])],
                   %(version)s, '答复', '', false, '', '', false, 0, 0, '',
                   date_trunc('day', now()) - interval '365 days'
                       + ((g * 7919) %% (365 * 1440)) * interval '1 minute',
                   now(), false, ''
            FROM generate_series(1, %(n)s) AS g
            """,
            params,
        )
        # Timeline: register, dispatch (+1 h), sign for (+3 h, or +30 h for 1 in 10: late),
        # reply (+0..19 days +5 h against 15 days), rating (+1 day; 1 in 5 closed unrated).
        cursor.execute(
            """
            INSERT INTO cases_caseevent (case_id, at, action, from_state, to_state, note, data,
                                         public)
            SELECT c.id, e.at, e.action, '', '', '', e.data, true
            FROM cases_case c,
            LATERAL (VALUES
              (c.registered_at, 'register', '{}'::jsonb),
              (c.registered_at + interval '1 hour', 'dispatch',
                  jsonb_build_object('lead', c.lead_department_id)),
              (c.registered_at + CASE WHEN c.id %% 10 = 0 THEN interval '30 hours'
                                      ELSE interval '3 hours' END, 'sign_for', '{}'::jsonb),
              (c.registered_at + (c.id %% 20) * interval '1 day' + interval '5 hours', 'reply',
                  '{}'::jsonb),
              (c.registered_at + (c.id %% 20) * interval '1 day' + interval '29 hours',
                  CASE WHEN c.id %% 5 = 0 THEN 'close_unrated' ELSE 'rate' END,
                  CASE WHEN c.id %% 5 = 0 THEN '{}'::jsonb ELSE jsonb_build_object(
                      'satisfaction', (ARRAY['satisfied','satisfied','satisfied','basically',
                                             'unsatisfied'])[1 + (c.id / 5) %% 5],
                      'resolved', (c.id / 5) %% 4 <> 0) END)
            ) AS e(at, action, data)
            """,
            {},
        )
        cursor.execute(
            """
            INSERT INTO workdays_clock (
                owner_type, owner_id, stage, policy_version_id, unit_id, counting, "limit",
                count_start, started_at, state, stopped_at, stop_reason, due_at, provisional,
                created_at, updated_at
            )
            SELECT 'cases.case', c.id, s.stage, c.policy_version_id, c.unit_id, s.counting,
                   s.lim, false, s.started, 'stopped', s.stopped, '', s.due, false, now(), now()
            FROM cases_case c,
            LATERAL (VALUES
              ('sign_for', 'workdays', 1, c.registered_at + interval '1 hour',
               c.registered_at + CASE WHEN c.id %% 10 = 0 THEN interval '30 hours'
                                      ELSE interval '3 hours' END,
               c.registered_at + interval '25 hours'),
              ('reply', 'workdays', 15, c.registered_at,
               c.registered_at + (c.id %% 20) * interval '1 day' + interval '5 hours',
               c.registered_at + interval '15 days' + interval '8 hours')
            ) AS s(stage, counting, lim, started, stopped, due)
            """,
            {},
        )
        cursor.execute("ANALYZE cases_case; ANALYZE cases_caseevent; ANALYZE workdays_clock;")


def synthetic_rollups(cases_equivalent: int) -> int:
    """Rollup rows for ``cases_equivalent`` more cases, in fake unit ids, over 365 days."""
    from django.db import connection

    rows = cases_equivalent // CASES_PER_ROLLUP_ROW
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        cursor.execute(
            """
            INSERT INTO assessment_rollup (
                day, unit_id, department_id, channel, kind, category_id, received, dispatched,
                signed, signed_on_time, replied, replied_on_time, reply_workdays, rated,
                satisfied, basically, unsatisfied, resolved, unrated, returned, reopened, repeat
            )
            SELECT current_date - (g %% 365), %(base)s + (g / 365) %% 200,
                   %(base)s + (g / 73000) %% 1000,
                   (ARRAY['hotline','efficiency_office','phone','online','letter'])[1 + g %% 5],
                   (ARRAY['complaint','inquiry','help','suggestion'])[1 + (g / 5) %% 4],
                   1 + (g / 20) %% 12,
                   5, 5, 5, 4, 5, 4, 40, 4, 3, 0, 1, 3, 1, 0, 0, 0
            FROM generate_series(1, %(rows)s) AS g
            ON CONFLICT DO NOTHING
            """,
            {"rows": rows, "base": FAKE_UNIT_BASE},
        )
        cursor.execute("ANALYZE assessment_rollup")
        cursor.execute("SELECT count(*), coalesce(sum(received), 0) FROM assessment_rollup")
        return cursor.fetchone()


def live_month(period, unit_ids: list[int]) -> dict[int, object]:
    """The month's figures per real unit computed live from the case table."""
    from xiaoneng.assessment.metrics import Figures
    from xiaoneng.assessment.rollups import live_totals

    per_unit: dict[int, Figures] = {uid: Figures() for uid in unit_ids}
    for key, counts in live_totals().items():
        day = date.fromisoformat(key[0])
        if period.start <= day <= period.end and key[1] in per_unit:
            per_unit[key[1]].add(counts)
    return per_unit


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def run(cases: int, equivalent: int) -> int:
    from django.core.management import call_command
    from django.utils import timezone

    from xiaoneng.assessment.rollups import rollups_rebuild
    from xiaoneng.assessment.selectors import figures_for, month_period, ranking, scorecard
    from xiaoneng.demo.services import demo_load
    from xiaoneng.org.models import Unit

    call_command("migrate", verbosity=0)
    demo_load()
    started = time.perf_counter()
    fill(cases)
    print(f"filled {cases:,} cases with events and clocks in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    rollups_rebuild()
    print(f"rollups rebuilt from the case table in {time.perf_counter() - started:.1f} s")
    if equivalent > cases:
        started = time.perf_counter()
        rows, received = synthetic_rollups(equivalent - cases)
        print(
            f"synthetic rollups added in {time.perf_counter() - started:.1f} s: "
            f"{rows:,} rollup rows in all, {received:,} cases received in them"
        )
    today = timezone.localdate()
    last = today.replace(day=1) - __import__("datetime").timedelta(days=1)
    period = month_period(last.year, last.month)

    elapsed, card = timed(lambda: scorecard(period))
    print(
        f"monthly scorecard {period.label} from rollups: median {elapsed * 1000:.1f} ms "
        f"(received {card.figures.received:,}, on-time completion "
        f"{card.metrics.on_time_completion_rate}%, satisfaction {card.metrics.satisfaction_rate}%, "
        f"composite {card.metrics.composite_score}; goal < 1 s at 10 000 000)"
    )
    elapsed, ranked = timed(lambda: ranking(period, by="department"))
    print(f"department ranking from rollups: median {elapsed * 1000:.1f} ms ({len(ranked)} rows)")
    elapsed, ranked_units = timed(lambda: ranking(period, by="unit"))
    print(f"unit ranking from rollups: median {elapsed * 1000:.1f} ms ({len(ranked_units)} rows)")

    unit_ids = list(Unit.objects.values_list("pk", flat=True))
    t0 = time.perf_counter()
    live = live_month(period, unit_ids)
    live_time = time.perf_counter() - t0
    print(f"the same month computed live from the case table: {live_time:.1f} s")
    differences = 0
    for uid in unit_ids:
        rolled = figures_for(period, unit_id=uid)
        if rolled != live[uid]:
            differences += 1
            print(f"  DIFFERENT unit {uid}: rollup {rolled} live {live[uid]}")
    agree = differences == 0
    print(f"rollups agree with the live computation for every real unit: {agree}")
    return 0 if agree else 1


def main() -> int:
    global DB_NAME  # --db names another database (two runs side by side)
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100 000 cases, no synthetic rows")
    parser.add_argument("--cases", type=int, help="cases in the case table (default 100 000)")
    parser.add_argument(
        "--equivalent", type=int, help="cases the rollups stand for (default 10 000 000)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--db", default=DB_NAME, help="database name on the server")
    args = parser.parse_args()
    DB_NAME = args.db
    cases = args.cases or 100_000
    equivalent = args.equivalent or (cases if args.quick else 10_000_000)
    print(machine())
    admin(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin(f"CREATE DATABASE {DB_NAME}")
    try:
        setup_django()
        return run(cases, equivalent)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin(f"DROP DATABASE IF EXISTS {DB_NAME}")


if __name__ == "__main__":
    sys.exit(main())
