"""Loading the official schedules, editing days, the cache, and coverage status."""

from __future__ import annotations

from datetime import date

import pytest

from xiaoneng.audit.models import AuditEntry
from xiaoneng.errors import DomainError
from xiaoneng.workdays.arithmetic import DayKind
from xiaoneng.workdays.calendar import (
    CALENDAR_STATE,
    CONFIG_STATE,
    calendar_pinned,
    calendar_token,
    calendar_touch,
    config_token,
    config_touch,
    get_calendar,
)
from xiaoneng.workdays.models import CalendarOverride, CalendarState, CalendarYear
from xiaoneng.workdays.selectors import calendar_missing_years, calendar_status
from xiaoneng.workdays.services import (
    calendar_load,
    calendar_override_delete,
    calendar_override_set,
    calendar_year_set_official,
)

from .official import official_calendar, package_years

pytestmark = pytest.mark.django_db
Kind = CalendarOverride.Kind


def test_load_fills_every_year_the_package_carries(official_all: None) -> None:
    assert set(CalendarYear.objects.values_list("year", flat=True)) == package_years()
    national_day = CalendarOverride.objects.get(day=date(2026, 10, 1), unit=None)
    assert (national_day.kind, national_day.name) == (Kind.HOLIDAY, "国庆节")
    makeup = CalendarOverride.objects.get(day=date(2026, 10, 10), unit=None)
    assert (makeup.kind, makeup.name) == (Kind.MAKEUP_WORKDAY, "国庆节")
    assert CalendarOverride.objects.get(day=date(2025, 1, 28)).name == "春节"
    assert AuditEntry.objects.filter(action="workdays.calendar.load").count() == 1


def test_load_is_idempotent(official_all: None) -> None:
    again = calendar_load()
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)


def test_database_calendar_equals_the_package_calendar(official_all: None) -> None:
    from_db = get_calendar()
    reference = official_calendar()
    for start in (date(2004, 1, 1), date(2015, 9, 2), date(2020, 1, 23), date(2026, 9, 30)):
        for n in (1, 5, 15, 30):
            assert from_db.add_workdays(start, n) == reference.add_workdays(start, n)


def test_load_keeps_a_manual_correction(official: None, admin: object) -> None:
    calendar_override_set(day=date(2026, 10, 10), kind=Kind.HOLIDAY, name="本地更正", by=admin)
    result = calendar_load(years=[2026])
    assert result.kept_manual == [date(2026, 10, 10)]
    assert CalendarOverride.objects.get(day=date(2026, 10, 10)).kind == Kind.HOLIDAY


def test_override_set_and_delete_change_the_cached_calendar(official: None, admin: object) -> None:
    day = date(2026, 10, 9)
    assert get_calendar().is_workday(day)
    override = calendar_override_set(day=day, kind=Kind.HOLIDAY, name="加休", by=admin)
    assert not get_calendar().is_workday(day)
    assert get_calendar().day_name(day) == "加休"
    calendar_override_delete(override=override, by=admin)
    assert get_calendar().is_workday(day)
    actions = list(
        AuditEntry.objects.filter(action__startswith="workdays.calendar.override").values_list(
            "action", "actor_id"
        )
    )
    assert actions == [
        ("workdays.calendar.override_set", admin.pk),
        ("workdays.calendar.override_delete", admin.pk),
    ]


def test_a_national_makeup_day_must_be_a_weekend(official: None) -> None:
    with pytest.raises(DomainError, match="Saturday or a Sunday"):
        calendar_override_set(day=date(2026, 10, 12), kind=Kind.MAKEUP_WORKDAY, name="x", by=None)


def test_a_unit_has_its_own_local_days(official: None, unit: object) -> None:
    day = date(2026, 11, 16)  # a Monday, e.g. the school's founding day
    calendar_override_set(day=day, kind=Kind.HOLIDAY, name="校庆", unit_id=unit.pk, by=None)
    assert not get_calendar(unit.pk).is_workday(day)
    assert get_calendar(unit.pk).day_kind(day) == DayKind.HOLIDAY
    assert get_calendar().is_workday(day)
    # The national days still apply to the unit.
    assert get_calendar(unit.pk).add_workdays(date(2026, 9, 30), 5) == date(2026, 10, 13)


def test_status_reports_coverage_and_warns_for_next_year(official: None) -> None:
    assert calendar_missing_years(date(2026, 6, 1)) == [*range(2004, 2024), 2027]
    summer = calendar_status(date(2026, 6, 1))
    assert summer.next_year_missing
    assert not summer.warning
    assert summer.level == "ok"
    november = calendar_status(date(2026, 11, 1))
    assert november.warning
    assert november.level == "warning"
    assert november.covered_ranges == [(2024, 2026)]


def test_status_without_any_schedule_is_an_error(db: None) -> None:
    status = calendar_status(date(2026, 3, 1))
    assert status.current_year_missing
    assert status.level == "error"
    assert status.missing_years[0] == 2004


def test_year_declared_official_by_hand(official: None) -> None:
    calendar_year_set_official(year=2027, official=True, by=None)
    assert 2027 not in calendar_missing_years(date(2026, 11, 2))
    # An official year without its holidays entered: only weekends remain.
    assert get_calendar().is_workday(date(2027, 10, 1))


def test_the_tokens_read_what_was_written_and_change_with_every_touch() -> None:
    calendar_touch()
    config_touch()
    stored = dict(CalendarState.objects.values_list("pk", "token"))
    assert calendar_token() == stored[CALENDAR_STATE] != config_token() == stored[CONFIG_STATE]
    before = calendar_token()
    calendar_touch()
    assert calendar_token() not in {before, ""}
    with calendar_pinned():
        pinned = calendar_token(), config_token()
        config_touch()  # the pinned work sees its own change
        assert config_token() != pinned[1]
        assert calendar_token() == pinned[0]
    CalendarState.objects.all().delete()
    assert calendar_token() == config_token() == ""
