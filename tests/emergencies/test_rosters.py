"""Duty rosters over the 2026 National Day holiday with its 调休 working days: who is on duty at
03:00 on a holiday is the one alerted; swaps approved by the head; holiday gaps warned once."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import translation

from tests.emergencies.conftest import moment
from xiaoneng.audit.models import AuditEntry
from xiaoneng.emergencies.models import Alert, DutyShift, DutySwap, RosterGapWarning
from xiaoneng.emergencies.selectors_rosters import duty_officer_at, shift_of
from xiaoneng.emergencies.services import alert_acknowledge, incident_report
from xiaoneng.emergencies.services.rosters import (
    FILL_DAYS_OFF,
    roster_fill,
    swap_decide,
    swap_request,
)
from xiaoneng.emergencies.sweeps import emergencies_sweep
from xiaoneng.emergencies.sweeps_rosters import roster_gaps_sweep
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.models import Notification
from xiaoneng.org.models import Staff, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar_2026(db) -> None:
    from xiaoneng.workdays.services import calendar_load

    calendar_load(years=[2026])


def staff(username: str) -> Staff:
    return Staff.objects.select_related("user", "unit").get(user__username=username)


def _report(users, at):
    with time_machine.travel(at, tick=False):
        return incident_report(
            by=users["school_handler"],
            type="accident",
            grade="3",
            title="宿舍楼火警报警",
            occurred_at=at - timedelta(minutes=15),
            discovered_at=at - timedelta(minutes=10),
            place="男生宿舍3号楼",
            what_happened="宿舍烟感报警，值班人员已疏散学生。",
            contact_phone="13800000000",
        )


def _fill_national_day(users) -> None:
    """安全稳定科's head fills the bureau's days off from 19 Sep to 11 Oct; the principal puts
    a teacher on the school's nights of the National Day week."""
    bureau, school = Unit.objects.get(code="bureau"), Unit.objects.get(code="school-1")
    with time_machine.travel(moment(2026, 9, 14, 9), tick=False):
        roster_fill(
            by=users["safety_head"],
            unit=bureau,
            start=date(2026, 9, 19),
            end=date(2026, 10, 11),
            day_people=[staff("safety_a")],
            night_people=[staff("safety_b"), staff("safety_head")],
            days=FILL_DAYS_OFF,
        )
        roster_fill(
            by=users["school_head"],
            unit=school,
            start=date(2026, 10, 1),
            end=date(2026, 10, 7),
            night_people=[staff("school_handler_b")],
        )


def test_the_duty_officer_is_alerted_at_three_in_the_morning_of_a_holiday(
    users, calendar_2026, settings
) -> None:
    settings.XIAONENG_EMERGENCY_ACK_MINUTES = 10
    _fill_national_day(users)
    bureau = Unit.objects.get(code="bureau")
    days = set(DutyShift.objects.filter(unit=bureau).values_list("day", flat=True))
    # The 调休 working days (Sunday 20 Sep, Saturday 10 Oct) are working days: not filled.
    assert date(2026, 9, 20) not in days
    assert date(2026, 10, 10) not in days
    assert {date(2026, 9, 19), date(2026, 10, 1), date(2026, 10, 7), date(2026, 10, 11)} <= days
    # Days off in order: 19 Sep, 25–27 Sep (中秋), 1 Oct …: the night of 1 Oct is the fifth,
    # so the rotation [B holder, head] gives it to the B holder; 2 Oct to the head.
    night = moment(2026, 10, 2, 3, 0)
    assert shift_of(night) == (date(2026, 10, 1), "night")
    assert duty_officer_at(unit=bureau, at=night) == staff("safety_b")
    assert duty_officer_at(unit=bureau, at=moment(2026, 10, 3, 3, 0)) == staff("safety_head")

    incident = _report(users, night)
    first = {
        (a.line, a.capacity): a.recipient.user.username
        for a in incident.alerts.select_related("recipient__user")
    }
    assert first == {
        ("unit", "unit_head"): "school_head",
        ("unit", "unit_duty"): "school_handler_b",
        ("bureau", "duty_officer"): "safety_b",
    }
    assert Notification.objects.filter(
        kind="emergencies.alert", recipient_user=users["safety_b"]
    ).exists()
    # Not acknowledged in 10 minutes: passed on to the A holder, then acknowledged.
    with time_machine.travel(night + timedelta(minutes=10), tick=False):
        assert emergencies_sweep().raised["escalated"] == 3
    passed = incident.alerts.get(line="bureau", state="pending")
    assert (passed.recipient.user.username, passed.capacity) == ("safety_a", "post_a")
    with time_machine.travel(night + timedelta(minutes=12), tick=False):
        alert_acknowledge(alert=passed, by=users["safety_a"])
    assert incident.timeline.filter(kind="escalated").count() == 3


def test_on_a_tiaoxiu_sunday_afternoon_nobody_is_on_duty_and_the_chain_starts_with_a(
    users, calendar_2026
) -> None:
    _fill_national_day(users)
    # 03:00 on Sunday 20 Sep is still Saturday's night shift; the afternoon is a working day.
    assert duty_officer_at(unit=Unit.objects.get(code="bureau"), at=moment(2026, 9, 20, 3)) == (
        staff("safety_b")
    )
    incident = _report(users, moment(2026, 9, 20, 14, 0))
    bureau_alert = incident.alerts.get(line=Alert.Line.BUREAU)
    assert (bureau_alert.recipient.user.username, bureau_alert.capacity) == ("safety_a", "post_a")
    assert not incident.alerts.filter(capacity="unit_duty").exists()


def test_a_swap_is_asked_by_the_person_on_duty_and_approved_by_the_head(
    users, calendar_2026
) -> None:
    _fill_national_day(users)
    shift = DutyShift.objects.get(unit__code="bureau", day=date(2026, 10, 1), shift="night")
    with time_machine.travel(moment(2026, 9, 20, 10), tick=False):
        with pytest.raises(PermissionDenied):
            swap_request(by=users["safety_a"], shift=shift, to_staff=staff("safety_a"), reason="x")
        with pytest.raises(DomainError):
            swap_request(by=users["safety_b"], shift=shift, to_staff=staff("safety_a"), reason="")
        with pytest.raises(DomainError):  # another unit's staff
            swap_request(
                by=users["safety_b"],
                shift=shift,
                to_staff=staff("school_handler"),
                reason="家中有事",
            )
        swap = swap_request(
            by=users["safety_b"], shift=shift, to_staff=staff("safety_a"), reason="家中有事"
        )
        with pytest.raises(DomainError):  # one open request per shift
            swap_request(
                by=users["safety_b"], shift=shift, to_staff=staff("safety_a"), reason="再次"
            )
        with pytest.raises(PermissionDenied):  # not the head
            swap_decide(by=users["safety_a"], swap=swap, approve=True)
        with pytest.raises(PermissionDenied):  # another school's head
            swap_decide(by=users["school_head"], swap=swap, approve=True)
        swap_decide(by=users["safety_head"], swap=swap, approve=True, note="同意")
        with pytest.raises(DomainError):  # decided already
            swap_decide(by=users["safety_head"], swap=swap, approve=False)
    shift.refresh_from_db()
    assert shift.staff == staff("safety_a")
    assert DutySwap.objects.get(pk=swap.pk).state == DutySwap.State.APPROVED
    assert duty_officer_at(unit=shift.unit, at=moment(2026, 10, 2, 3)) == staff("safety_a")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "emergencies.roster.fill",
        "emergencies.roster.swap_request",
        "emergencies.roster.swap_decide",
    } <= actions


def test_filling_is_for_the_head_or_the_office_with_valid_input(users, calendar_2026) -> None:
    school = Unit.objects.get(code="school-1")
    day = date(2026, 10, 1)
    for username in ("school_handler", "safety_head", "s2_intake", "sysadmin"):
        with pytest.raises(PermissionDenied):
            roster_fill(
                by=users[username],
                unit=school,
                start=day,
                end=day,
                day_people=[staff("school_head")],
            )
    with pytest.raises(DomainError):
        roster_fill(by=users["school_head"], unit=school, start=day, end=day - timedelta(1))
    with pytest.raises(DomainError):
        roster_fill(
            by=users["school_head"],
            unit=school,
            start=day,
            end=day,
            day_people=[staff("safety_a")],
        )
    with pytest.raises(DomainError):
        roster_fill(by=users["school_head"], unit=school, start=day, end=day)
    assert not DutyShift.objects.exists()
    # The efficiency office may fill any unit's roster.
    assert (
        roster_fill(
            by=users["xiaoneng"], unit=school, start=day, end=day, day_people=[staff("school_head")]
        )
        == 1
    )


def test_holiday_gaps_are_warned_a_week_ahead_once_per_gap(users, calendar_2026) -> None:
    _fill_national_day(users)
    bureau, school = Unit.objects.get(code="bureau"), Unit.objects.get(code="school-1")
    # 24 Sep: the week ahead holds 25–27 Sep (中秋) and 1 Oct. The bureau is covered; the
    # school has no day shifts at all and no nights before 1 Oct.
    with time_machine.travel(moment(2026, 9, 24, 8), tick=False):
        warned = roster_gaps_sweep()
        assert roster_gaps_sweep() == 0  # the next run warns about nothing new
    assert not RosterGapWarning.objects.filter(unit=bureau).exists()
    school_gaps = set(RosterGapWarning.objects.filter(unit=school).values_list("day", "shift"))
    assert (date(2026, 9, 25), "night") in school_gaps
    assert (date(2026, 10, 1), "day") in school_gaps
    assert (date(2026, 10, 1), "night") not in school_gaps  # the school's nights are covered
    assert (date(2026, 10, 2), "day") not in school_gaps  # more than a week ahead
    assert warned == RosterGapWarning.objects.count()
    told = set(
        Notification.objects.filter(kind="emergencies.roster.gap", channel="inbox").values_list(
            "recipient_user__username", flat=True
        )
    )
    assert {"xiaoneng", "school_head"} <= told
    assert "safety_head" not in told  # the bureau had no gap
    # The body names the gaps by count and dates, so it reads whole in either language.
    note = Notification.objects.filter(
        kind="emergencies.roster.gap", channel="inbox", recipient_user__username="school_head"
    ).first()
    assert "无人值班" in note.body
    assert "2026-09-25" in note.body
    with translation.override("en"):
        english = note.body_label
    assert english.startswith("Nobody is on duty for ")
    assert "2026-09-25" in english
    assert not re.search(r"[\u4e00-\u9fff]", english), english
    # A day later only the newly reachable days are warned about.
    before = Notification.objects.filter(kind="emergencies.roster.gap").count()
    with time_machine.travel(moment(2026, 9, 25, 8), tick=False):
        # 2 Oct's day shift at 第一中学, both shifts at the five schools without a roster.
        assert roster_gaps_sweep() == 1 + 5 * 2
    assert set(
        RosterGapWarning.objects.filter(unit=school).values_list("day", "shift")
    ) - school_gaps == {(date(2026, 10, 2), "day")}
    assert Notification.objects.filter(kind="emergencies.roster.gap").count() > before


def test_the_gap_warning_is_a_periodic_job(db) -> None:
    from xiaoneng import periodic

    jobs = {job.name: job for job in periodic.registered_jobs()}
    assert jobs["emergencies.roster_gaps"].run() == "warned=0"
