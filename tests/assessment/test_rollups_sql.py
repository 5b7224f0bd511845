"""The set-wise rebuild (rollups_sql.py) writes exactly what the per-case rebuild writes: the
same per-case rows, rollups, case facts and repeat links, on a varied history. Runs on SQLite
and, with DATABASE_URL, on PostgreSQL (there also on a generated ten-year-style history)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from xiaoneng.assessment.models import MEASURES, CaseCount, CaseFact, RepeatComplaint, Rollup
from xiaoneng.assessment.rollups import rollups_check, rollups_rebuild
from xiaoneng.cases.services import (
    case_close,
    case_decide_return,
    case_dispatch,
    case_reopen,
    case_request_return,
    case_resume,
    case_sign_for,
    case_suspend,
    case_withdraw,
)
from xiaoneng.cases.services import case_reply as reply
from xiaoneng.workdays.models import Clock, ClockPause

from .conftest import make_late

pytestmark = pytest.mark.django_db

KEY = ("day", "unit_id", "department_id", "channel", "kind", "category_id")


def snapshot() -> dict[str, Any]:
    """Everything a rebuild writes, in a form that ignores row ids and order."""
    counts = Counter(
        tuple(row)
        for row in CaseCount.objects.values_list("case_id", "concerned_unit_id", *KEY, *MEASURES)
    )
    rollups = Counter(tuple(row) for row in Rollup.objects.values_list(*KEY, *MEASURES))
    facts = {
        fact.case_id: {tuple(item[:6]): item[6] for item in fact.contributions}
        for fact in CaseFact.objects.all()
    }
    repeats = set(RepeatComplaint.objects.values_list("case_id", "earlier_id"))
    return {"counts": counts, "rollups": rollups, "facts": facts, "repeats": repeats}


def both_ways() -> tuple[dict[str, Any], dict[str, Any]]:
    rollups_rebuild(set_wise=False)
    per_case = snapshot()
    RepeatComplaint.objects.all().delete()
    rollups_rebuild()
    assert rollups_check() == []
    return per_case, snapshot()


@pytest.fixture
def varied(users, make_case, flow, basic, finance, category, demo_org):
    """Cases through every path the contributions read: on time and late sign-fors and
    replies, ratings of each kind, reopen, close after a reply, returns accepted and rejected,
    suspensions (paused working days), withdrawals, repeats, other channels and categories,
    and registration days spread over weeks (weekends and holidays included)."""
    from xiaoneng.cases.models import Category

    other = Category.objects.exclude(pk=category.pk).first()
    made = [
        flow(make_case(phone="13800000001"), rating="satisfied", resolved=True),
        flow(make_case(phone="13800000001"), late_sign=True, late_reply=True, rating="unsatisfied",
             resolved=False),
        flow(make_case(channel="efficiency_office"), until="dispatch"),
        flow(make_case(phone="13800000002", category=other), rating="basically"),
        flow(make_case(phone="13800000002"), until="sign"),
    ]  # fmt: skip
    case_reopen(case=made[1], by=users["xiaoneng"], note="重新核查")
    replied = flow(make_case(), until="reply")
    case_close(case=replied, by=users["xiaoneng"])
    returned = case_dispatch(case=make_case(), by=users["intake"], lead=basic)
    case_request_return(case=returned, by=users["head"], reason="非本科室职责", basis="职责分工")
    case_decide_return(case=returned, by=users["xiaoneng"], accept=True, new_lead=finance)
    rejected = case_dispatch(case=make_case(), by=users["intake"], lead=basic)
    case_request_return(case=rejected, by=users["head"], reason="不归我们", basis="职责")
    case_decide_return(case=rejected, by=users["xiaoneng"], accept=False, note="属于本科室职责")
    suspended = case_sign_for(
        case=case_dispatch(case=make_case(), by=users["intake"], lead=basic), by=users["head"]
    )
    suspended = case_suspend(case=suspended, by=users["head"], reason="补充材料")
    case_resume(case=suspended, by=users["head"])
    make_late(suspended, "reply")
    reply(case=suspended.__class__.objects.get(pk=suspended.pk), by=users["head"], text="已办")
    case_withdraw(case=make_case(), by=users["xiaoneng"], reason="撤回")
    # Spread the history over six weeks, so days, weekends and pauses differ between cases.
    for index, case in enumerate(made[0].__class__.objects.order_by("pk")):
        shift = timedelta(days=7 * index + index % 3, hours=index * 5)
        case.__class__.objects.filter(pk=case.pk).update(registered_at=case.registered_at - shift)
        case.events.update(at=case.registered_at - shift)
        clocks = Clock.objects.filter(owner_type="cases.case", owner_id=case.pk)
        for clock in clocks:
            Clock.objects.filter(pk=clock.pk).update(
                started_at=clock.started_at - shift,
                stopped_at=clock.stopped_at and clock.stopped_at - shift + timedelta(days=index),
                due_at=clock.due_at - shift + timedelta(days=1),
            )
            for pause in ClockPause.objects.filter(clock=clock):
                ClockPause.objects.filter(pk=pause.pk).update(
                    paused_at=pause.paused_at - shift,
                    resumed_at=pause.resumed_at and pause.resumed_at - shift + timedelta(days=2),
                )
    # Event times must still meet their clocks' stops for the reply and sign-for matches.
    for clock in Clock.objects.filter(owner_type="cases.case", stopped_at__isnull=False):
        action = {"sign_for": "sign_for", "reply": "reply"}.get(clock.stage)
        if action:
            event = clock_event(clock, action)
            if event is not None:
                event.__class__.objects.filter(pk=event.pk).update(at=clock.stopped_at)
    return made


def clock_event(clock: Clock, action: str) -> Any:
    from xiaoneng.cases.models import CaseEvent

    return CaseEvent.objects.filter(case_id=clock.owner_id, action=action).order_by("id").first()


def test_set_wise_rebuild_equals_the_per_case_rebuild(varied) -> None:
    per_case, set_wise = both_ways()
    assert per_case["counts"], "the history must count something"
    assert sum(row[-1] for row in per_case["counts"]) > 0, "a repeat must be among them"
    measures = Counter()
    for row, n in per_case["counts"].items():
        for name, value in zip(MEASURES, row[2 + len(KEY) :], strict=True):
            measures[name] += value * n
    # Every measure the SQL computes is exercised by the history.
    for name in ("dispatched", "signed", "signed_on_time", "replied", "reply_workdays", "rated",
                 "satisfied", "basically", "unsatisfied", "resolved", "unrated", "returned",
                 "reopened", "repeat"):  # fmt: skip
        assert measures[name] > 0, name
    assert set_wise["counts"] == per_case["counts"]
    assert set_wise["rollups"] == per_case["rollups"]
    assert set_wise["facts"] == per_case["facts"]
    assert set_wise["repeats"] == per_case["repeats"]


def test_a_difference_would_be_seen(varied) -> None:
    """The comparison is not blind: one case's count changed by hand differs."""
    per_case, _set_wise = both_ways()
    CaseCount.objects.filter(pk=CaseCount.objects.order_by("pk").first().pk).update(received=2)
    assert snapshot()["counts"] != per_case["counts"]


def test_the_command_rebuilds_set_wise(varied) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rollups", "rebuild", stdout=out)
    assert "rebuilt from" in out.getvalue()
    assert rollups_check() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bench-data needs COPY")
def test_set_wise_equals_per_case_on_a_generated_history(demo_org) -> None:
    from xiaoneng.demo.benchdata import bench_data_fill

    bench_data_fill(cases=3000, years=2, seed=11)
    started = timezone.now()
    per_case, set_wise = both_ways()
    assert sum(per_case["rollups"].values()) > 100
    assert set_wise == per_case
    assert timezone.now() - started < timedelta(minutes=10)


def test_case_facts_keep_the_per_case_order(varied) -> None:
    """The stored lists themselves, not only their items, are the per-case rebuild's."""
    rollups_rebuild(set_wise=False)
    per_case = dict(CaseFact.objects.values_list("case_id", "contributions"))
    assert any(len(items) > 1 for items in per_case.values())
    RepeatComplaint.objects.all().delete()
    rollups_rebuild()
    assert dict(CaseFact.objects.values_list("case_id", "contributions")) == per_case


@pytest.mark.skipif(connection.vendor != "postgresql", reason="indexes dropped on PostgreSQL")
def test_the_rebuild_leaves_the_keys_and_indexes_as_they_were(varied) -> None:
    """A rebuild drops the written tables' keys and indexes and creates them again."""

    def indexes() -> set[tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
                "('assessment_casecount', 'assessment_rollup', 'assessment_casefact')"
            )
            return set(cursor.fetchall())

    before = indexes()
    assert len(before) >= 9
    rollups_rebuild()
    assert indexes() == before
    assert rollups_check() == []


def test_triage_repeat_alerts_count_as_in_the_per_case_rebuild(varied) -> None:
    """A repeat alert makes its case a repeat and its link wins over the phone rule's."""
    from xiaoneng.cases.models import Case
    from xiaoneng.triage.models import RepeatAlert

    first, *others = Case.objects.order_by("pk")
    phone_repeat = RepeatComplaint.objects.order_by("pk").values_list("case_id", flat=True)
    rollups_rebuild()
    phone_repeats = set(phone_repeat)
    assert phone_repeats, "the history has a repeat by the phone rule"
    plain = next(case for case in others if case.pk not in phone_repeats)
    repeated = Case.objects.get(pk=min(phone_repeats))
    for case in (plain, repeated):
        RepeatAlert.objects.create(
            case=case,
            earlier=first,
            root=first,
            unit=case.unit,
            reason=RepeatAlert.Reason.MATTER,
            raised_at=timezone.now(),
        )
    RepeatComplaint.objects.all().delete()
    per_case, set_wise = both_ways()
    assert {(plain.pk, first.pk), (repeated.pk, first.pk)} <= per_case["repeats"]
    assert set_wise == per_case
