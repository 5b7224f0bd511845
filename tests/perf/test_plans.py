"""Query plans of the hot queries on PostgreSQL: with 30 000 cases (and their clocks and
rollups) analysed, none of them reads a big table sequentially.

The queries are the ones the real code runs (captured while it runs), then EXPLAINed: the
sweep's due-clock query, a handler's and the efficiency office's workbench, the public tracking
lookup, the office case list with its common filters and a page deep in it (keyset), the API
case list, and the month scorecard from the rollups.
`make bench-full` runs the same checks at a million cases (bench/plans.py).
"""

from __future__ import annotations

import os
import re
from datetime import timedelta

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
# bench/plans.py sets a bigger size, or 0: the test database already holds the cases (a copy
# of bench's template database, a million for `make bench-full`).
CASES = int(os.environ.get("XIAONENG_PLAN_CASES", "30000"))
AT_LEAST = int(os.environ.get("XIAONENG_PLAN_MIN", CASES))


def _fill() -> None:
    """The realistic generated history (what `xiaoneng bench-data` writes), rolled up and
    analysed."""
    from xiaoneng.assessment.rollups import rollups_rebuild
    from xiaoneng.demo.benchdata import bench_data_fill

    if CASES:
        bench_data_fill(cases=CASES, years=10)
        rollups_rebuild()
        _checks_at_scale()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _checks_at_scale(rows: int = 50_000) -> None:
    """A city's bureau has tens of thousands of running clocks, each with its next check ahead
    in ``workdays_clockcheck``; a generated history keeps only its newest cases open (a few
    dozen checks at this size), and on so small a table a sequential scan and a sort are the
    right plan. Check rows for the history's other clocks, a day ahead and so never due, give
    the planner the table it meets in production; only plans are read here."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO workdays_clockcheck (clock_id, owner_type, next_check_at) "
            "SELECT clock.id, clock.owner_type, now() + interval '1 day' "
            "FROM workdays_clock AS clock WHERE NOT EXISTS "
            "(SELECT 1 FROM workdays_clockcheck AS c WHERE c.clock_id = clock.id) "
            "ORDER BY clock.id LIMIT %s",
            [rows],
        )


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


def _big_seq_scans(plans: list[tuple[str, str]]) -> list[str]:
    return [
        f"{sql[:300]}\n{plan}"
        for sql, plan in plans
        for table in BIG_TABLES
        if re.search(rf"Seq Scan on {table}\b", plan)
    ]


def _sweep_due_clocks() -> None:
    from xiaoneng.cases import clocks

    with transaction.atomic():
        list(clocks.due_for_check(now=timezone.now(), limit=500))


def _tracking_lookup() -> None:
    from xiaoneng.cases.models import Case
    from xiaoneng.demo.benchlife import bench_tracking_secret
    from xiaoneng.portal.selectors import case_find_for_tracking

    code = Case.objects.order_by("-pk").values_list("tracking_code", flat=True)[123]
    assert case_find_for_tracking(code=code, secret=bench_tracking_secret(code)) is not None


def _month_scorecard() -> None:
    from xiaoneng.assessment.selectors import month_period, scorecard

    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    card = scorecard(month_period(last_month.year, last_month.month))
    assert card.figures.received > 0


def _page(client, user, name: str, query: dict | None = None):
    def get() -> None:
        client.force_login(user)
        assert client.get(reverse(name), query or {}).status_code == 200

    return get


def _api_list(client, key: str, query: dict | None = None):
    def get() -> None:
        headers = {"Authorization": f"Bearer {key}"}
        assert client.get("/api/v1/cases", query or {}, headers=headers).status_code == 200

    return get


def test_hot_queries_never_scan_a_big_table(client, users) -> None:
    from xiaoneng.api.services import apiclient_create, apikey_issue
    from xiaoneng.cases.models import Case
    from xiaoneng.org.models import Unit

    _fill()
    school = Unit.objects.get(code="school-1").pk
    total = Case.objects.count()
    assert total >= AT_LEAST, f"{total} cases, expected at least {AT_LEAST}"
    middle = Case.objects.order_by("-registered_at", "-pk")[total // 2]
    after = f"{middle.registered_at.isoformat()}|{middle.pk}"
    paths = {
        "sweep: due clocks": _sweep_due_clocks,
        "public tracking lookup": _tracking_lookup,
        "workbench of a handler": _page(client, users["handler_a"], "office:home"),
        "workbench of the efficiency office": _page(client, users["xiaoneng"], "office:home"),
        "month scorecard": _month_scorecard,
    }
    for query in (
        {},
        {"state": "in_progress"},
        {"unit": school},
        {"overdue": "on"},
        {"after": after},  # a page deep in the list (keyset)
    ):
        paths[f"case list {query}"] = _page(client, users["xiaoneng"], "office:case_list", query)
    api = apiclient_create(name="plans", scopes=["cases:read"], roles=["intake"], by=None)
    key = apikey_issue(client=api, by=None).plaintext
    paths["API case list"] = _api_list(client, key)
    paths["API case list, state"] = _api_list(client, key, {"state": "in_progress"})
    failures, plans_of = [], {}
    for label, run in paths.items():
        with CaptureQueriesContext(connection) as captured:
            run()
        plans_of[label] = plans = _plans(captured.captured_queries)
        failures += [f"{label}:\n{problem}" for problem in _big_seq_scans(plans)]
        if not plans:
            failures.append(f"{label}: no query on a big table was captured")
    assert not failures, "\n\n".join(failures)
    sweep = plans_of["sweep: due clocks"]
    # The next checks' index on (next_check_at, clock) gives the due clocks in the order asked:
    # no sort of every due clock under the LIMIT, each batch reads its own rows.
    assert any("workdays_clockcheck_due" in plan for _sql, plan in sweep)
    assert not any(re.search(r"\bSort\b", plan) for _sql, plan in sweep)
    # The scorecard reads the rollups, never the case table.
    assert not any("cases_case" in sql for sql, _plan in plans_of["month scorecard"])
