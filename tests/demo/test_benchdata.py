"""`xiaoneng bench-data`: the generated history is whole, consistent and realistic."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Max

from xiaoneng.errors import DomainError

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="bench-data copies rows with PostgreSQL's COPY"
)


@pytest.fixture
def filled(demo_org):
    from xiaoneng.demo.benchdata import bench_data_fill

    return bench_data_fill(cases=3000, years=2, seed=7)


def test_day_counts_add_up_and_follow_the_calendar_and_seasons(demo_org) -> None:
    from xiaoneng.demo.benchdata import bench_day_counts
    from xiaoneng.workdays.calendar import get_calendar
    from xiaoneng.workdays.services.calendar import calendar_load

    calendar_load(years=[2024, 2025])
    first, last = date(2024, 1, 1), date(2025, 12, 31)
    counts = dict(bench_day_counts(cases=100_000, first=first, last=last, unit_id=None))
    assert sum(counts.values()) == 100_000
    calendar = get_calendar(None)
    # National Day week (a holiday) gets far fewer cases than the working days around it.
    assert counts[date(2025, 10, 3)] * 4 < counts[date(2025, 10, 10)]
    assert calendar.is_workday(date(2025, 9, 28))  # An official make-up Sunday counts as work.
    assert counts[date(2025, 9, 28)] > counts[date(2025, 9, 27)]
    september = sum(n for d, n in counts.items() if d.month == 9 and d.year == 2025)
    february = sum(n for d, n in counts.items() if d.month == 2 and d.year == 2025)
    assert september > 2 * february
    first_year = sum(n for d, n in counts.items() if d.year == 2024)
    assert sum(counts.values()) - first_year > first_year  # The city grows.


@pytest.mark.django_db
def test_the_command_refuses_a_database_that_is_not_a_benchmark() -> None:
    with pytest.raises(CommandError, match="基准"):
        call_command("bench-data", cases=10)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite refusal")
def test_sqlite_is_refused_with_a_clear_message(demo_org) -> None:
    from xiaoneng.demo.benchdata import bench_data_fill

    with pytest.raises(DomainError, match="PostgreSQL"):
        bench_data_fill(cases=10)


@on_postgresql
def test_bad_sizes_are_refused(demo_org) -> None:
    from xiaoneng.demo.benchdata import bench_data_fill

    with pytest.raises(DomainError):
        bench_data_fill(cases=0)
    with pytest.raises(DomainError):
        bench_data_fill(cases=10, years=50)


@on_postgresql
def test_every_case_has_a_whole_life(filled) -> None:
    from xiaoneng.cases.models import Case, CaseEvent, ExtensionRequest, ReturnRequest
    from xiaoneng.cases.states import FINAL_STATES, OPEN_STATES
    from xiaoneng.workdays.models import Clock, ClockExtension

    assert filled.cases == 3000
    assert Case.objects.count() >= 3000
    states = Counter(Case.objects.values_list("state", flat=True))
    assert states["closed"] > 2500
    assert any(states[s] for s in OPEN_STATES), states
    first_actions = {events[0] for events in _actions_by_case(CaseEvent.objects.all()).values()}
    assert first_actions == {"register"}
    closed = Case.objects.filter(state__in=FINAL_STATES)
    assert not closed.filter(closed_at=None).exists()
    assert Case.objects.filter(state="withdrawn").exists()
    assert not Case.objects.filter(state="replied", replied_at=None).exists()
    assert ReturnRequest.objects.filter(decision="approved").exists()
    assert ReturnRequest.objects.filter(decision="rejected").exists()
    approved = ExtensionRequest.objects.filter(decision="approved")
    assert approved.count() == ClockExtension.objects.count() > 0
    # A request still waiting at "now" has no decision and no extension yet.
    assert not ExtensionRequest.objects.exclude(decision__in=["approved", "pending"]).exists()
    assert not ExtensionRequest.objects.filter(
        decision="pending", decided_at__isnull=False
    ).exists()
    assert CaseEvent.objects.filter(action="reopen").exists()
    assert Case.objects.filter(satisfaction="unrated").exists()
    running = Clock.objects.filter(state="running", owner_type="cases.case")
    assert running.exists()
    # Only open cases have running clocks.
    finished = Case.objects.filter(state__in=FINAL_STATES).values("pk")
    assert not running.filter(owner_id__in=finished).exists()
    assert not running.filter(next_check=None).exists()
    assert not Clock.objects.filter(state="stopped", stopped_at=None).exists()


def _actions_by_case(events) -> dict[int, list[str]]:
    by_case: dict[int, list[str]] = {}
    for case_id, action in events.order_by("case_id", "at", "id").values_list("case_id", "action"):
        by_case.setdefault(case_id, []).append(action)
    return by_case


@on_postgresql
def test_the_audit_chain_stays_whole(filled) -> None:
    from xiaoneng.audit.models import AuditEntry
    from xiaoneng.audit.selectors import audit_chain_verify

    report = audit_chain_verify()
    assert report.ok, report
    assert AuditEntry.objects.filter(action="case.register").count() >= 3000
    assert filled.audit_rows == filled.events


@on_postgresql
def test_numbers_counters_and_tracking_codes_work_like_real_ones(filled) -> None:
    from xiaoneng.cases.identifiers import next_case_number
    from xiaoneng.cases.models import Case, CaseCounter
    from xiaoneng.demo.benchlife import bench_tracking_secret
    from xiaoneng.portal.selectors import case_find_for_tracking

    case = Case.objects.order_by("registered_at").first()
    day = date(int(case.number[2:6]), int(case.number[6:8]), int(case.number[8:10]))
    top = Case.objects.filter(number__startswith=f"XN{day:%Y%m%d}-").aggregate(Max("number"))
    assert CaseCounter.objects.get(day=day).value == int(top["number__max"][-5:])
    assert next_case_number(day) == f"XN{day:%Y%m%d}-{int(top['number__max'][-5:]) + 1:05d}"
    code = case.tracking_code
    assert case_find_for_tracking(code=code, secret=bench_tracking_secret(code)) == case
    assert case_find_for_tracking(code=code, secret="WRONG123") is None


@on_postgresql
def test_the_rollups_see_the_history(filled) -> None:
    from xiaoneng.assessment.rollups import rollup_totals, rollups_rebuild

    rollups_rebuild()
    totals = rollup_totals()
    assert sum(counts.get("received", 0) for counts in totals.values()) >= 3000
    assert sum(counts.get("replied_on_time", 0) for counts in totals.values()) > 0
    assert sum(counts.get("returned", 0) for counts in totals.values()) > 0


@on_postgresql
def test_requesters_are_copied_as_ciphertext_with_their_blind_index(filled) -> None:
    from xiaoneng.cases.models import Case
    from xiaoneng.fieldcrypt.datakeys import blind_index

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM cases_case WHERE requester_phone NOT LIKE '$xn$%%' "
            "OR requester_name NOT LIKE '$xn$%%' OR requester_phone_index = ''"
        )
        assert cursor.fetchone()[0] == 0
    case = Case.objects.order_by("id").first()
    assert case.requester_phone.startswith("139")
    assert case.requester_phone_index == blind_index(case.requester_phone, kind="phone")
