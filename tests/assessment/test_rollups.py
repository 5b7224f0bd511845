"""Rollups: hand-computed figures through the real services, equality with the live
computation after random transitions, the cursor's settle delay, the command, and a
scorecard that never touches the case table."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiaoneng.assessment.models import CaseFact, RepeatComplaint, Rollup, RollupCursor
from xiaoneng.assessment.rollups import (
    rollups_apply,
    rollups_apply_all,
    rollups_check,
)
from xiaoneng.assessment.selectors import Period, figures_for, ranking, scorecard, speech_scorecard
from xiaoneng.cases.models import CaseEvent
from xiaoneng.cases.services import (
    case_close,
    case_decide_return,
    case_dispatch,
    case_rate,
    case_reopen,
    case_reply,
    case_request_return,
    case_resume,
    case_sign_for,
    case_suspend,
    case_withdraw,
)
from xiaoneng.errors import DomainError

from .conftest import make_late

pytestmark = pytest.mark.django_db


def today_period() -> Period:
    today = timezone.localdate()
    return Period(today - timedelta(days=1), today + timedelta(days=1))


@pytest.fixture
def crafted(users, make_case, flow, basic, finance):
    """Six cases with known outcomes (see the test for the arithmetic)."""
    a = flow(make_case(phone="13800000001"), rating="satisfied", resolved=True)
    b = flow(make_case(), late_sign=True, late_reply=True, rating="unsatisfied", resolved=False)
    case_reopen(case=b, by=users["xiaoneng"], note="重新核查")
    flow(make_case(channel="efficiency_office"), until="dispatch")
    d = flow(make_case(), until="reply")
    case_close(case=d, by=users["xiaoneng"])
    make_case(phone="13800000001")  # same phone, same category as a: a repeat
    f = case_dispatch(case=make_case(), by=users["intake"], lead=basic)
    case_request_return(case=f, by=users["head"], reason="非本科室职责", basis="职责分工")
    case_decide_return(case=f, by=users["xiaoneng"], accept=True, new_lead=finance)
    return a


def test_crafted_figures(crafted, basic, finance) -> None:
    rollups_apply_all()
    f = figures_for(today_period())
    assert f.received == 6
    # a, b, c, d, f (to basic) and f again (to finance)
    assert f.dispatched == 6
    assert (f.signed, f.signed_on_time) == (3, 2)  # a, b (late), d
    assert (f.replied, f.replied_on_time) == (3, 2)  # a, b (late), d
    assert (f.rated, f.satisfied, f.basically, f.unsatisfied, f.resolved) == (2, 1, 0, 1, 1)
    assert f.unrated == 1  # d closed without rating
    assert (f.returned, f.reopened, f.repeat) == (1, 1, 1)
    assert RepeatComplaint.objects.get().earlier_id == crafted.pk
    card = scorecard(today_period())
    assert card.metrics.on_time_sign_for_rate == 33.3  # 2/6
    assert card.metrics.on_time_completion_rate == 66.7  # 2/3
    assert card.metrics.satisfaction_rate == 50.0
    assert card.metrics.return_rate == 16.7  # 1/6
    # The return counts against the department that returned it; the redispatch against
    # the new lead.
    basic_figures = figures_for(today_period(), department_id=basic.pk)
    finance_figures = figures_for(today_period(), department_id=finance.pk)
    assert (basic_figures.returned, finance_figures.returned) == (1, 0)
    assert finance_figures.dispatched == 1
    speech = speech_scorecard(today_period())
    assert (speech.hotline.received, speech.efficiency_office.received) == (5, 1)
    assert speech.hotline.handled == 3
    assert rollups_check() == []


def test_apply_is_idempotent_and_check_names_a_difference(crafted) -> None:
    rollups_apply_all()
    before = list(Rollup.objects.order_by("pk").values())
    RollupCursor.objects.filter(pk=1).update(last_id=0)
    rollups_apply_all()
    assert list(Rollup.objects.order_by("pk").values()) == before
    row = Rollup.objects.filter(received__gt=0).first()
    Rollup.objects.filter(pk=row.pk).update(received=row.received + 5)
    problems = rollups_check()
    assert len(problems) == 1
    assert "received: rollup" in problems[0]
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("rollups", "check", stdout=out)
    assert raised.value.returncode == 1
    assert "received" in out.getvalue()
    call_command("rollups", "rebuild", stdout=StringIO())
    assert rollups_check() == []
    assert CaseFact.objects.count() == 6
    call_command("rollups", "check", stdout=StringIO())  # no exception: agrees


def test_cursor_waits_for_a_young_gap(make_case) -> None:
    """An event id missing between visible ones (a transaction not yet committed) holds the
    cursor back until it appears or the settle delay passes."""
    case = make_case()
    events = list(CaseEvent.objects.order_by("pk"))
    rollups_apply_all()
    start = RollupCursor.objects.get().last_id
    assert start == events[-1].pk
    second = make_case()
    new = list(CaseEvent.objects.filter(pk__gt=start).order_by("pk"))
    assert len(new) >= 1
    # Pretend the first new event is still uncommitted: take it out, add a later one.
    hidden = new[0]
    hidden_values = {f.attname: getattr(hidden, f.attname) for f in hidden._meta.concrete_fields}
    hidden.delete()
    third = make_case()
    now = timezone.now()
    rollups_apply(now=now)
    cursor = RollupCursor.objects.get()
    assert cursor.last_id == hidden_values["id"] - 1
    assert str(hidden_values["id"]) in cursor.gaps
    # It commits: the next run applies it and moves on.
    CaseEvent.objects.create(**hidden_values)
    rollups_apply(now=now + timedelta(seconds=5))
    cursor = RollupCursor.objects.get()
    assert cursor.last_id >= hidden_values["id"]
    assert rollups_check() == []
    # A gap that never fills (a rollback) is passed once it is older than the settle delay.
    top = RollupCursor.objects.get().last_id
    make_case()
    make_case()
    last = CaseEvent.objects.filter(pk__gt=top).order_by("pk").first()
    last_values = {"id": last.pk}
    last.delete()
    rollups_apply(now=now + timedelta(seconds=10))
    assert RollupCursor.objects.get().last_id == last_values["id"] - 1
    rollups_apply(now=now + timedelta(minutes=5))
    assert RollupCursor.objects.get().last_id > last_values["id"]
    assert {case.pk, second.pk, third.pk} <= set(CaseFact.objects.values_list("case_id", flat=True))


def test_scorecard_reads_only_rollups(crafted) -> None:
    rollups_apply_all()
    with CaptureQueriesContext(connection) as captured:
        scorecard(today_period())
        ranking(today_period(), by="department")
        ranking(today_period(), by="unit")
        speech_scorecard(today_period())
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "assessment_rollup" in sql
    assert "cases_case" not in sql
    assert "cases_caseevent" not in sql


ACTIONS = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.sampled_from(
            [
                "dispatch",
                "sign",
                "sign_late",
                "reply",
                "reply_late",
                "rate_good",
                "rate_bad",
                "reopen",
                "close",
                "return",
                "accept_return",
                "suspend",
                "resume",
                "withdraw",
                "apply",
            ]
        ),
    ),
    min_size=4,
    max_size=14,
)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=ACTIONS)
def test_rollups_equal_live_after_random_transitions(steps, users, make_case, basic, finance):
    cases = [make_case(phone="13800000009") for _ in range(3)]
    for index, action in steps:
        case = cases[index].__class__.objects.get(pk=cases[index].pk)
        try:
            if action == "dispatch":
                case = case_dispatch(case=case, by=users["intake"], lead=basic)
            elif action in ("sign", "sign_late"):
                if action == "sign_late" and case.state == "dispatched":
                    make_late(case, "sign_for")
                case = case_sign_for(case=case, by=users["head"])
            elif action in ("reply", "reply_late"):
                if action == "reply_late" and case.state == "in_progress":
                    make_late(case, "reply")
                case = case_reply(case=case, by=users["head"], text="答复")
            elif action == "rate_good":
                case = case_rate(case=case, satisfaction="basically", resolved=True)
            elif action == "rate_bad":
                case = case_rate(case=case, satisfaction="unsatisfied", resolved=False)
            elif action == "reopen":
                case = case_reopen(case=case, by=users["xiaoneng"], note="重办")
            elif action == "close":
                case = case_close(case=case, by=users["xiaoneng"])
            elif action == "return":
                case_request_return(case=case, by=users["head"], reason="r", basis="b")
            elif action == "accept_return":
                lead = finance if case.lead_department_id == basic.pk else basic
                case = case_decide_return(
                    case=case, by=users["xiaoneng"], accept=True, new_lead=lead
                )
            elif action == "suspend":
                case = case_suspend(case=case, by=users["head"], reason="补充材料")
            elif action == "resume":
                case = case_resume(case=case, by=users["head"])
            elif action == "withdraw":
                case = case_withdraw(case=case, by=users["xiaoneng"], reason="撤回")
            else:
                rollups_apply_all()
        except DomainError:
            pass
    rollups_apply_all()
    assert rollups_check() == []
