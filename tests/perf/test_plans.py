"""Query plans of the hot queries on PostgreSQL: with 30 000 cases (and their clocks and
rollups) analysed, none of them reads a big table sequentially.

The queries are the ones the real code runs (captured while it runs), then EXPLAINed: the
sweep's due-clock query, a handler's workbench, the public tracking lookup, the office case
list with its common filters and keyset page, and the month scorecard from the rollups.
`make bench-full` runs the same checks at a million cases (bench/plans.py).
"""

from __future__ import annotations

import os
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = [
    pytest.mark.django_db(transaction=False),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="plans are PostgreSQL's; .ci/run runs this suite on PostgreSQL",
    ),
]

BIG_TABLES = ("cases_case", "workdays_clock", "cases_caseevent", "assessment_rollup")
# bench/plans.py sets a bigger size (a million for `make bench-full`).
CASES = int(os.environ.get("XIAONENG_PLAN_CASES", "30000"))


def _fill(users) -> None:
    """Cases spread over units, states, departments and four years, clocks for the open ones,
    inserted in bulk the way bench/sweep.py does."""
    from xiaoneng.cases.models import Category
    from xiaoneng.catalog.selectors import policy_current_version
    from xiaoneng.org.models import Department, Staff

    category = Category.objects.get(code="fees")
    departments = list(Department.objects.filter(is_active=True).values_list("pk", "unit_id"))
    handler = Staff.objects.get(user=users["handler_a"])
    version = policy_current_version(code="hotline-complaint")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_departments (n int, id int, unit_id int)")
        cursor.executemany(
            "INSERT INTO bench_departments VALUES (%s, %s, %s)",
            [(n, pk, unit) for n, (pk, unit) in enumerate(departments)],
        )
        cursor.execute(
            """
            INSERT INTO cases_case (
                number, tracking_code, tracking_secret_hash, external_number, channel, kind,
                category_id, title, content, person_concerned, requester_name, requester_phone,
                requester_email, requester_id_number, is_anonymous, consent_publish, unit_id,
                state, lead_department_id, handler_id, policy_version_id, reply_text,
                reply_grade, reply_pending_review, satisfaction, rating_comment,
                rated_by_callback, reopen_count, return_count, final_reason, registered_at,
                updated_at
            )
            SELECT 'PN' || g, 'PT' || g, '', '', 'hotline', 'complaint', %(category)s,
                   '测试工单', '查询计划测试', '', '', '', '', '', false, false, d.unit_id,
                   CASE WHEN g %% 50 = 0 THEN 'in_progress' ELSE 'closed' END, d.id,
                   CASE WHEN g %% 500 = 0 THEN %(handler)s END, %(version)s, '', '', false,
                   '', '', false, 0, 0, '', now() - (g || ' minutes')::interval * 70, now()
            FROM generate_series(1, %(n)s) AS g
            JOIN bench_departments AS d ON d.n = g %% %(departments)s
            """,
            {
                "n": CASES,
                "category": category.pk,
                "handler": handler.pk,
                "version": version.pk,
                "departments": len(departments),
            },
        )
        cursor.execute(
            """
            INSERT INTO workdays_clock (
                owner_type, owner_id, stage, policy_version_id, unit_id, counting, "limit",
                count_start, started_at, state, stop_reason, due_at, provisional,
                next_check_at, created_at, updated_at
            )
            SELECT 'cases.case', c.id, 'reply', c.policy_version_id, c.unit_id, 'workdays', 15,
                   false, c.registered_at, CASE WHEN c.state = 'closed' THEN 'stopped'
                   ELSE 'running' END, '', c.registered_at + interval '20 days', false,
                   CASE WHEN c.state = 'closed' THEN NULL
                   ELSE now() + interval '1 day' END, now(), now()
            FROM cases_case AS c
            """
        )
    from xiaoneng.assessment.rollups import rollups_rebuild

    rollups_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _plans(captured) -> list[tuple[str, str]]:
    plans = []
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            if not any(table in sql for table in BIG_TABLES):
                continue
            cursor.execute("EXPLAIN " + sql)
            plans.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return plans


def _assert_no_big_seq_scan(plans: list[tuple[str, str]]) -> None:
    assert plans, "no query on a big table was captured"
    for sql, plan in plans:
        for table in BIG_TABLES:
            assert not re.search(rf"Seq Scan on {table}\b", plan), f"{sql[:300]}\n{plan}"


@pytest.fixture
def filled(users):
    _fill(users)


def test_sweep_due_clock_query_uses_its_index(filled) -> None:
    from xiaoneng.cases import clocks

    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        list(clocks.due_for_check(now=timezone.now(), limit=500))
    plans = _plans(captured.captured_queries)
    _assert_no_big_seq_scan(plans)
    assert any("workdays_clock_next_check" in plan for _sql, plan in plans)


def test_tracking_lookup_uses_the_code_index(filled) -> None:
    from xiaoneng.portal.selectors import case_find_for_tracking

    with CaptureQueriesContext(connection) as captured:
        case_find_for_tracking(code="PT12345", secret="x")
    _assert_no_big_seq_scan(_plans(captured.captured_queries))


def test_workbench_of_a_handler_uses_indexes(client, users, filled) -> None:
    client.force_login(users["handler_a"])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("office:home")).status_code == 200
    _assert_no_big_seq_scan(_plans(captured.captured_queries))


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"state": "in_progress"},
        {"unit": "UNIT"},
        {"overdue": "on"},
    ],
)
def test_case_list_filters_use_indexes(client, users, filled, query) -> None:
    from xiaoneng.org.models import Unit

    if query.get("unit") == "UNIT":
        query = {"unit": Unit.objects.get(code="school-1").pk}
    client.force_login(users["xiaoneng"])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("office:case_list"), query).status_code == 200
    _assert_no_big_seq_scan(_plans(captured.captured_queries))


def test_month_scorecard_reads_the_rollups_by_index(filled) -> None:
    from xiaoneng.assessment.selectors import month_period, scorecard

    today = timezone.localdate()
    with CaptureQueriesContext(connection) as captured:
        card = scorecard(month_period(today.year, today.month))
    assert card.figures.received > 0
    plans = _plans(captured.captured_queries)
    _assert_no_big_seq_scan(plans)
    assert not any("cases_case" in sql for sql, _plan in plans)  # Never the case table.
