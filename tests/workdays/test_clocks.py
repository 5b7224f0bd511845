"""Clocks: start from a policy, pause and resume, restart, extend, stop — each audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from xiaoneng.audit.models import AuditEntry
from xiaoneng.catalog.selectors import policy_current_version
from xiaoneng.errors import DomainError
from xiaoneng.workdays.models import Clock, ClockCheck
from xiaoneng.workdays.selectors import clock_open_for, clock_progress, clock_thresholds
from xiaoneng.workdays.services import (
    clock_extend,
    clock_pause,
    clock_resume,
    clock_schedule_next,
    clock_start,
    clock_stop,
)

from .conftest import at

pytestmark = pytest.mark.django_db


def _local_due(clock: Clock) -> date:
    return timezone.localtime(clock.due_at).date()


def _start(stage: str = "reply", code: str = "hotline-consult", **kwargs: object) -> Clock:
    return clock_start(
        owner_type="cases.case",
        owner_id=1,
        stage=stage,
        started_at=kwargs.pop("started_at", at("2026-09-30 10:00")),
        policy_version=policy_current_version(code=code),
        **kwargs,
    )


def test_start_from_a_policy_computes_and_audits(official: None, policies: None) -> None:
    clock = _start()
    assert (clock.counting, clock.limit, clock.count_start) == ("workdays", 5, False)
    assert _local_due(clock) == date(2026, 10, 13)
    assert timezone.localtime(clock.due_at).time().isoformat() == "23:59:59.999999"
    assert not clock.provisional
    entry = AuditEntry.objects.get(action="workdays.clock.start")
    assert entry.object_id == str(clock.pk)
    assert entry.summary["due_at"].startswith("2026-10-13T23:59:59")
    assert clock_open_for(owner_type="cases.case", owner_id=1, stage="reply") == clock


def test_a_second_open_clock_for_the_same_stage_is_refused(official: None, policies: None) -> None:
    _start()
    with pytest.raises(DomainError, match="already running"):
        _start()


def test_a_stage_the_policy_does_not_limit_is_refused(official: None, policies: None) -> None:
    with pytest.raises(DomainError, match="no limit for this stage"):
        _start(stage="sign_for", code="info-disclosure")


def test_a_committed_limit_may_not_exceed_the_policy(official: None, policies: None) -> None:
    clock = _start(code="admin-licence", limit=10)
    assert clock.limit == 10
    with pytest.raises(DomainError, match="cannot exceed"):
        _start(code="admin-licence", limit=25, stage="one_time_notice")


def test_hours_clock_for_urgent_sign_for(official: None, policies: None) -> None:
    clock = _start(stage="sign_for", code="urgent", started_at=at("2026-10-01 23:30"))
    assert timezone.localtime(clock.due_at) == at("2026-10-02 01:30")
    same_day = _start(stage="reply", code="urgent", started_at=at("2026-10-01 23:30"))
    assert _local_due(same_day) == date(2026, 10, 1)


def test_pausing_twice_and_resuming_a_running_clock_are_refused(
    official: None, policies: None
) -> None:
    clock = _start()
    with pytest.raises(DomainError, match="not paused"):
        clock_resume(clock=clock, at=at("2026-10-08 09:00"))
    clock = clock_pause(clock=clock, at=at("2026-10-08 09:00"), reason="补正材料")
    with pytest.raises(DomainError) as refused:
        clock_pause(clock=clock, at=at("2026-10-09 09:00"))
    assert str(refused.value) == "This clock is already paused."


def test_pause_and_resume_move_the_due_date(official: None, policies: None) -> None:
    clock = _start()  # due 2026-10-13
    clock = clock_pause(clock=clock, at=at("2026-10-08 09:00"))
    assert clock.next_check_at is None
    progress = clock_progress(clock, now=at("2026-10-20 09:00"))
    assert progress.paused
    assert progress.remaining_units == 4  # 10/9, 10/10 (调休), 10/12, 10/13 still to come
    # Paused for 10/9 (Fri) and 10/10 (make-up Saturday): two working days are not counted.
    clock = clock_resume(clock=clock, at=at("2026-10-10 15:00"))
    assert _local_due(clock) == date(2026, 10, 15)
    assert AuditEntry.objects.filter(action="workdays.clock.resume").get().summary["due_at"]


def test_resume_with_restart_counts_the_whole_period_again(official: None, policies: None) -> None:
    clock = _start(code="info-disclosure")  # 20 working days
    clock = clock_pause(clock=clock, at=at("2026-10-09 09:00"))
    clock = clock_resume(clock=clock, at=at("2026-10-12 09:00"), restart=True)
    # 20 working days after Monday 10/12: 10/13 … 11/9.
    assert _local_due(clock) == date(2026, 11, 9)


def test_extension_within_the_maximum(official: None, policies: None, admin: object) -> None:
    clock = _start(code="efficiency-referral")  # 30 working days, up to 30 more
    before = clock.due_at
    clock = clock_extend(clock=clock, units=20, reason="情况复杂", approver=admin, by=admin)
    assert clock.due_at > before
    extension = clock.extensions.get()
    assert (extension.previous_due_at, extension.new_due_at) == (before, clock.due_at)
    with pytest.raises(DomainError, match="more than the policy's maximum of 30"):
        clock_extend(clock=clock, units=11, reason="再延", approver=admin, by=admin)
    clock = clock_extend(clock=clock, units=10, reason="再延", approver=admin, by=admin)
    assert AuditEntry.objects.filter(action="workdays.clock.extend").count() == 2


def test_extension_refused_when_the_policy_allows_none(official: None, policies: None) -> None:
    clock = _start(code="urgent")
    with pytest.raises(DomainError, match="allows no extension"):
        clock_extend(clock=clock, units=1, reason="x")
    with pytest.raises(DomainError, match="needs a reason"):
        clock_extend(clock=clock, units=1, reason=" ")


def test_stop_closes_the_clock(official: None, policies: None) -> None:
    clock = _start()
    clock = clock_pause(clock=clock, at=at("2026-10-08 09:00"))
    clock = clock_stop(clock=clock, at=at("2026-10-09 09:00"), reason="办结")
    assert clock.state == Clock.State.STOPPED
    assert not clock.pauses.filter(resumed_at__isnull=True).exists()
    with pytest.raises(DomainError, match="already stopped"):
        clock_stop(clock=clock)
    with pytest.raises(DomainError, match="has stopped"):
        clock_pause(clock=clock)
    entry = AuditEntry.objects.get(action="workdays.clock.stop")
    assert entry.summary["late"] is False


def test_thresholds_and_next_check(official: None, policies: None) -> None:
    clock = _start(started_at=timezone.now())
    kinds = [threshold.kind for threshold in clock_thresholds(clock)]
    assert kinds[-2:] == ["due", "red"]
    assert clock.next_check_at is not None
    assert clock.next_check_at > timezone.now()
    nothing_left = clock_schedule_next(clock=clock, now=clock.due_at + timedelta(days=30))
    assert nothing_left is None


def test_the_next_check_row_follows_the_clock(official: None, policies: None) -> None:
    """The sweeps' narrow row exists exactly while the clock runs with a check ahead, and holds
    what ``clock.next_check_at`` says, as stored (not only on the instance)."""

    def stored(clock: Clock) -> object:
        return ClockCheck.objects.filter(clock_id=clock.pk).values_list("next_check_at", flat=True)

    clock = _start(started_at=timezone.now())
    assert list(stored(clock)) == [clock.next_check_at]
    assert ClockCheck.objects.get(clock_id=clock.pk).owner_type == "cases.case"
    clock = clock_pause(clock=clock, at=timezone.now())
    assert not stored(clock).exists()
    clock = clock_resume(clock=clock, at=timezone.now())
    assert list(stored(clock)) == [clock.next_check_at] != [None]
    clock = clock_extend(clock=clock, units=1, reason="需补充材料")
    fresh = Clock.objects.get(pk=clock.pk)
    assert fresh.next_check_at == clock.next_check_at == stored(clock).get()
    clock_schedule_next(clock=clock, now=clock.due_at + timedelta(days=30))
    assert not stored(clock).exists()
    assert Clock.objects.get(pk=clock.pk).next_check_at is None
    clock_schedule_next(clock=clock, now=timezone.now())
    assert stored(clock).exists()
    clock = clock_stop(clock=clock, at=timezone.now())
    assert not stored(clock).exists()


def test_thresholds_of_a_known_period(official: None, policies: None) -> None:
    clock = _start(code="efficiency-referral", stage="reply")
    points = {t.kind: timezone.localtime(t.at) for t in clock_thresholds(clock)}
    due = timezone.localtime(clock.due_at).date()
    # One working day before the due day, and the red card five working days after it.
    assert points["prewarn"].date() < due
    assert points["red"].date() > due


def test_backdated_clock_is_checked_at_once(official: None, policies: None) -> None:
    clock = _start(started_at=at("2026-01-05 09:00"))
    assert clock.next_check_at is not None
    assert clock.next_check_at <= timezone.now()


def test_the_open_clock_is_the_one_the_orm_reads(official: None, policies: None) -> None:
    """``clock_open_for`` sends a statement compiled once per connection: for each owner and
    stage it gives what the queryset gives, pauses and policy included, and None when stopped."""
    reply = _start()
    clock_pause(clock=reply, at=at("2026-10-08 09:00"))
    sign_for = clock_start(
        owner_type="cases.case",
        owner_id=2,
        stage="sign_for",
        started_at=at("2026-09-30 10:00"),
        policy_version=policy_current_version(code="hotline-consult"),
    )
    for clock in (reply, sign_for):
        found = clock_open_for(owner_type="cases.case", owner_id=clock.owner_id, stage=clock.stage)
        expected = Clock.objects.exclude(state=Clock.State.STOPPED).get(pk=clock.pk)
        assert found is not None
        assert found.pk == expected.pk
        assert (found.state, found.due_at) == (expected.state, expected.due_at)
        assert found.policy_version.policy.code == "hotline-consult"
        assert [pause.pk for pause in found.pauses.all()] == [
            pause.pk for pause in expected.pauses.all()
        ]
    assert len(clock_open_for(owner_type="cases.case", owner_id=1, stage="reply").pauses.all()) == 1
    clock_stop(clock=sign_for, at=at("2026-10-09 09:00"), reason="done")
    assert clock_open_for(owner_type="cases.case", owner_id=2, stage="sign_for") is None
    assert clock_open_for(owner_type="cases.case", owner_id=3, stage="reply") is None
