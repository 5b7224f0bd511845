"""The sweeper: thresholds, idempotence, crash safety, rating expiry, and no full scans."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoneng.audit.models import AuditEntry
from xiaoneng.audit.services import COPY_FROM
from xiaoneng.cases import clocks
from xiaoneng.cases.models import Satisfaction, Signal
from xiaoneng.cases.services import case_dispatch, case_reply, case_sign_for
from xiaoneng.cases.states import State
from xiaoneng.cases.sweeps import sweep
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.periods import Counting

pytestmark = pytest.mark.django_db


def levels(clock) -> list[str]:
    return sorted(Signal.objects.filter(clock=clock).values_list("level", flat=True))


def test_signals_follow_the_thresholds(users, hotline_case, basic) -> None:
    case = case_sign_for(
        case=case_dispatch(case=hotline_case, by=users["intake"], lead=basic), by=users["handler_a"]
    )
    clock = clocks.current(case=case, stage=clocks.REPLY)
    marks = clocks.thresholds(clock)
    assert marks.prewarn_at < marks.due_at < marks.grace_due_at

    sweep(now=marks.prewarn_at - timedelta(minutes=1))
    assert levels(clock) == []
    sweep(now=marks.prewarn_at + timedelta(minutes=1))
    assert levels(clock) == ["prewarn"]
    sweep(now=marks.due_at + timedelta(minutes=1))
    assert levels(clock) == ["prewarn", "yellow"]
    yellow = Signal.objects.get(clock=clock, level="yellow")
    assert yellow.grace_due_at == marks.grace_due_at
    sweep(now=marks.grace_due_at + timedelta(minutes=1))
    assert levels(clock) == ["prewarn", "red", "yellow"]
    assert case.violations.filter(kind="red_card").count() == 1
    # A second run raises nothing new.
    again = sweep(now=marks.grace_due_at + timedelta(minutes=2))
    assert sum(again.raised.values()) == 0


def test_interrupted_sweep_is_completed_by_the_next(
    users, hotline_case, basic, monkeypatch
) -> None:
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    clock = clocks.current(case=case, stage=clocks.REPLY)
    later = clocks.thresholds(clock).grace_due_at + timedelta(hours=1)
    from xiaoneng.cases import sweeps

    original = sweeps._raise_signal
    calls = {"n": 0}

    def dies_on_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("killed")
        return original(*args, **kwargs)

    monkeypatch.setattr(sweeps, "_raise_signal", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        sweep(now=later)
    monkeypatch.setattr(sweeps, "_raise_signal", original)
    # The killed batch rolled back as a whole; the next run does everything once.
    sweep(now=later)
    assert levels(clock) == ["prewarn", "red", "yellow"]
    assert case.violations.filter(source_key=f"red:{clock.pk}").count() == 1
    # The sign-for clock, never stopped, went red too: a stage late is its own signal.
    sign_for = clocks.current(case=case, stage=clocks.SIGN_FOR)
    assert levels(sign_for) == ["prewarn", "red", "yellow"]
    assert case.violations.filter(kind="late_sign_for").count() == 1


def test_rating_window_closes_unrated(users, hotline_case, basic) -> None:
    case = case_sign_for(
        case=case_dispatch(case=hotline_case, by=users["intake"], lead=basic), by=users["head"]
    )
    case = case_reply(case=case, by=users["head"], text="已处理")
    rating = clocks.current(case=case, stage=clocks.RATING)
    sweep(now=rating.due_at + timedelta(minutes=1))
    case.refresh_from_db()
    assert case.state == State.CLOSED
    assert case.satisfaction == Satisfaction.UNRATED
    assert case.events.filter(action="close_unrated").count() == 1


def test_sweep_reads_only_due_clocks(users, hotline_case, basic) -> None:
    case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    with CaptureQueriesContext(connection) as queries:
        sweep()
    selects = [q["sql"] for q in queries.captured_queries if "workdays_clock" in q["sql"]]
    assert selects
    assert all("next_check_at" in sql for sql in selects[:1])


def test_clocks_of_other_owners_are_left_to_their_own_sweeps(users, hotline_case, basic) -> None:
    from django.db import transaction
    from django.utils import timezone

    from xiaoneng.workdays.services.clocks import clock_start

    with transaction.atomic():
        foreign = clock_start(
            owner_type="supervision.order",
            owner_id=hotline_case.pk,  # An id that also names a case must not confuse the sweep.
            stage="supervision",
            started_at=timezone.now() - timedelta(days=60),
            counting=Counting.WORKDAYS,
            limit=5,
            unit_id=hotline_case.unit_id,
            by=users["xiaoneng"],
        )
    assert foreign.next_check_at is not None
    case_clocks_due = Clock.objects.filter(
        owner_type="cases.case", state=Clock.State.RUNNING, next_check__isnull=False
    ).count()
    result = sweep(now=timezone.now() + timedelta(days=90))
    assert result.checked == case_clocks_due
    assert not Signal.objects.filter(clock=foreign).exists()
    before = foreign.next_check_at
    foreign.refresh_from_db()
    assert foreign.next_check_at == before


def _crossing_cases(users, category, basic, count: int) -> list:
    from xiaoneng.cases.services import case_register

    made = []
    for index in range(count):
        registered = case_register(
            by=users["intake"],
            channel="hotline",
            kind="complaint",
            category=category,
            title=f"批量{index}",
            content="家长反映学校食堂卫生问题，请核查。",
            requester_name="张家长",
            requester_phone="13912345678",
        )
        made.append(case_dispatch(case=registered.case, by=users["intake"], lead=basic))
    return made


def test_sweep_queries_per_crossing_clock_are_bounded(users, category, basic) -> None:
    """Owners, existing signals, recipients, the calendar and the audit chain are read once per
    batch: each crossing clock costs only its own writes."""
    made = _crossing_cases(users, category, basic, 8)
    later = clocks.thresholds(clocks.current(case=made[0], stage=clocks.REPLY)).grace_due_at
    audit_before = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as captured:
        result = sweep(now=later + timedelta(hours=1))
    signals = sum(result.raised.values())
    assert result.checked == 16
    assert signals == 48
    audit_writes = [q for q in captured.captured_queries if "audit_auditentry" in q["sql"]]
    # One bulk insert for the whole batch, cut only where the database caps the parameters of
    # one statement (SQLite: 999, i.e. 71 audit rows).
    audit_rows = AuditEntry.objects.count() - audit_before
    if connection.vendor == "postgresql" and audit_rows >= COPY_FROM:
        # One COPY, which goes past Django's query log: no INSERT at all.
        assert audit_writes == []
    else:
        fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
        per_insert = connection.ops.bulk_batch_size(fields, [None] * audit_rows)
        assert len(audit_writes) == -(-audit_rows // per_insert)
        assert all(q["sql"].startswith('INSERT INTO "audit_auditentry"') for q in audit_writes)
    # The signals in one statement, whatever their number (ON CONFLICT … RETURNING).
    signal_writes = [q for q in captured.captured_queries if "INSERT INTO cases_signal" in q["sql"]]
    assert len(signal_writes) == 1
    # 220 for 48 signals before rows were built as tuples (1 056 for 60 before batching).
    assert len(captured.captured_queries) <= 2 * signals


def test_sweep_command_takes_a_number_of_workers(users, hotline_case, basic) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    clock = clocks.current(case=case, stage=clocks.REPLY)
    with pytest.raises(CommandError, match="--workers"):
        call_command("sweep", "--workers", "0", stdout=StringIO())
    out = StringIO()
    # Inside the test's transaction (and on SQLite): the plain sweep, in this process.
    call_command("sweep", "--workers", "2", stdout=out)
    from django.utils.translation import gettext

    checked = gettext("Clocks checked: %(n)d") % {"n": 0}
    assert out.getvalue().splitlines()[0] == checked
    assert levels(clock) == []  # Nothing is due yet.


def test_primed_roles_equal_the_roles_read_one_by_one(users) -> None:
    """The sweeper reads everyone's roles in one query; the answer is the same as one by one,
    administrators included (they are never told a case's content)."""
    from xiaoneng.cases.permissions import is_administrator
    from xiaoneng.org.models import User
    from xiaoneng.org.selectors import user_roles, user_roles_prime

    one_by_one = {u.pk: user_roles(u) for u in User.objects.all()}
    fresh = list(User.objects.all())
    with CaptureQueriesContext(connection) as captured:
        user_roles_prime(fresh)
        primed = {u.pk: user_roles(u) for u in fresh}
    assert len(captured.captured_queries) == 1
    assert primed == one_by_one
    assert any(is_administrator(u) for u in fresh)
    assert any(not is_administrator(u) for u in fresh)
