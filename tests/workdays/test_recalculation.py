"""Calendar changes move open clocks (audited, with the cause) and leave closed ones alone."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from xiaoneng.audit.models import AuditEntry
from xiaoneng.workdays.models import CalendarOverride, Clock
from xiaoneng.workdays.services import (
    calendar_load,
    calendar_override_delete,
    calendar_override_set,
    clock_start,
    clock_stop,
)

from .conftest import at

pytestmark = pytest.mark.django_db


def _clock(owner_id: int, start: str = "2026-09-30 10:00", limit: int = 5, **kw: object) -> Clock:
    return clock_start(
        owner_type="cases.case",
        owner_id=owner_id,
        stage="reply",
        started_at=at(start),
        counting=kw.pop("counting", "workdays"),
        limit=limit,
        **kw,
    )


def _due(clock: Clock) -> date:
    clock.refresh_from_db()
    return timezone.localtime(clock.due_at).date()


def test_added_holiday_moves_open_clocks_and_leaves_closed_ones(
    official: None, admin: object
) -> None:
    open_clock = _clock(1)
    closed_clock = _clock(2)
    clock_stop(clock=closed_clock, at=at("2026-10-08 10:00"))
    before_period = _clock(3, start="2026-10-20 09:00")  # starts after the changed day
    hours = _clock(4, counting="hours", limit=400)
    assert _due(open_clock) == date(2026, 10, 13)

    calendar_override_set(
        day=date(2026, 10, 9), kind=CalendarOverride.Kind.HOLIDAY, name="临时休假", by=admin
    )

    assert _due(open_clock) == date(2026, 10, 14)
    assert _due(closed_clock) == date(2026, 10, 13)
    assert _due(before_period) == date(2026, 10, 27)
    moved = AuditEntry.objects.filter(action="workdays.clock.recalculate")
    assert [entry.object_id for entry in moved] == [str(open_clock.pk)]
    summary = moved.get().summary
    assert summary["previous_due_at"].startswith("2026-10-13")
    assert summary["due_at"].startswith("2026-10-14")
    assert summary["cause"] == {
        "change": "override_set",
        "day": "2026-10-09",
        "kind": "holiday",
        "name": "临时休假",
    }
    assert moved.get().actor_id == admin.pk
    hours.refresh_from_db()
    assert not AuditEntry.objects.filter(
        action="workdays.clock.recalculate", object_id=str(hours.pk)
    ).exists()


def test_corrected_makeup_day_moves_clocks_back_and_forth(official: None) -> None:
    clock = _clock(1, start="2026-10-09 09:00", limit=1)
    assert _due(clock) == date(2026, 10, 10)  # the make-up Saturday
    makeup = CalendarOverride.objects.get(day=date(2026, 10, 10), unit=None)
    calendar_override_delete(override=makeup, by=None)
    assert _due(clock) == date(2026, 10, 12)
    calendar_override_set(
        day=date(2026, 10, 10), kind=CalendarOverride.Kind.MAKEUP_WORKDAY, name="国庆节", by=None
    )
    assert _due(clock) == date(2026, 10, 10)
    assert AuditEntry.objects.filter(action="workdays.clock.recalculate").count() == 2


def test_year_without_data_is_provisional_then_recomputed_on_load(db: None) -> None:
    calendar_load(years=range(2004, 2026))
    clock = _clock(1)
    # Without the 2026 schedule only 10/1–10/3 (fixed) are holidays: Monday 10/5 is day 1.
    assert _due(clock) == date(2026, 10, 9)
    assert clock.provisional
    calendar_load(years=[2026])
    clock.refresh_from_db()
    assert _due(clock) == date(2026, 10, 13)
    assert not clock.provisional
    entry = AuditEntry.objects.get(action="workdays.clock.recalculate", object_id=str(clock.pk))
    assert entry.summary["previous_provisional"] is True
    assert entry.summary["provisional"] is False
    assert entry.summary["cause"]["change"] == "load"
    assert entry.summary["cause"]["years"] == [2026]


def test_a_clock_reaching_into_a_missing_year_is_provisional(official: None) -> None:
    clock = _clock(1, start="2026-12-20 09:00", limit=15)
    assert clock.provisional
    short = _clock(2, start="2026-12-01 09:00", limit=5)
    assert not short.provisional
