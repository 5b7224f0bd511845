"""The intake pool (待受理): where requests not registered in person land, who works the pool
by the A/B rule, what taking a case out of it records, and its clock's signals."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases import clocks
from xiaoneng.cases.models import Case, Signal
from xiaoneng.cases.pool import in_pool, pool_duties, pool_visible_to
from xiaoneng.cases.services import (
    case_accept,
    case_answer_directly,
    case_dispatch,
    case_invalidate,
    case_register,
)
from xiaoneng.cases.services.public import public_submit
from xiaoneng.cases.states import State
from xiaoneng.cases.sweeps import sweep
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.models import Unit
from xiaoneng.org.services import absence_record

pytestmark = pytest.mark.django_db


def _submit(category, unit: Unit | None = None) -> Case:
    return public_submit(
        kind="complaint",
        category=category,
        content="网上反映：学校违规收取资料费，请核查。",
        unit_concerned=unit,
        requester_phone="13900000001",
    ).case


def _away(staff, by) -> None:
    now = timezone.now()
    absence_record(
        staff=staff,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=3),
        kind="leave",
        by=by,
    )


def test_portal_submission_lands_in_the_bureau_pool(users, category) -> None:
    case = _submit(category)
    assert in_pool(case)
    assert case.first_contact is None
    assert case.unit.code == "bureau"
    assert clocks.current(case=case, stage=clocks.INTAKE).state == "running"
    assert case.events.get(action="register").data["pool"] is True
    # The bureau's first-contact post works it, not the efficiency office by default.
    assert pool_visible_to(users["intake"]).filter(pk=case.pk).exists()
    assert not pool_visible_to(users["school_handler"]).filter(pk=case.pk).exists()


def test_a_school_submission_lands_in_the_school_pool(users, category) -> None:
    school = Unit.objects.get(code="school-1")
    case = _submit(category, school)
    assert case.unit == school
    assert pool_visible_to(users["school_handler"]).filter(pk=case.pk).exists()
    assert not pool_visible_to(users["intake"]).filter(pk=case.pk).exists()
    # The office supervises every pool.
    assert pool_visible_to(users["xiaoneng"]).filter(pk=case.pk).exists()


def test_in_person_registration_skips_the_pool(users, category) -> None:
    case = case_register(
        by=users["intake"], channel="phone", kind="inquiry", category=category, content="来电咨询"
    ).case
    assert not in_pool(case)
    assert case.first_contact == users["intake"].staff
    assert clocks.current(case=case, stage=clocks.INTAKE) is None


def test_accept_records_the_first_contact_event_and_audit(users, category) -> None:
    case = _submit(category)
    case = case_accept(case=case, by=users["intake"])
    assert case.first_contact == users["intake"].staff
    assert not in_pool(case)
    event = case.events.get(action="accept")
    assert event.actor == users["intake"]
    assert event.data["capacity"] == "a"
    assert AuditEntry.objects.filter(action="case.accept", object_id=str(case.pk)).exists()
    assert clocks.current(case=case, stage=clocks.INTAKE).state == "stopped"
    # A repeated identical request changes nothing.
    case_accept(case=case, by=users["intake"])
    assert case.events.filter(action="accept").count() == 1


def test_b_holder_accepts_while_a_is_away(users, staff_of, category) -> None:
    school = Unit.objects.get(code="school-1")
    case = _submit(category, school)
    with pytest.raises(PermissionDenied):
        case_accept(case=case, by=users["school_handler_b"])
    _away(staff_of("school_handler"), users["sysadmin"])
    assert [d.unit for d in pool_duties(staff_of("school_handler_b"))] == [school]
    case = case_accept(case=case, by=users["school_handler_b"])
    assert case.first_contact == staff_of("school_handler_b")
    event = case.events.get(action="accept")
    assert event.data == {
        "capacity": "b",
        "standing_in_for": staff_of("school_handler").pk,
        "late": False,
    }


def test_head_works_the_pool_when_a_and_b_are_away(users, staff_of, category) -> None:
    case = _submit(category)
    _away(staff_of("intake"), users["sysadmin"])
    now = timezone.now()
    absence_record(
        staff=staff_of("intake_b"),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=1),
        kind="training",
        by=users["sysadmin"],
        head_covers=True,
    )
    with pytest.raises(PermissionDenied):
        case_accept(case=case, by=users["intake_b"])
    case = case_accept(case=case, by=users["office_head"])
    assert case.events.get(action="accept").data["capacity"] == "head"


def test_others_may_not_accept_but_the_office_may_step_in(users, category) -> None:
    case = _submit(category)
    for outsider in ("handler_a", "school_handler", "head"):
        with pytest.raises(PermissionDenied):
            case_accept(case=case, by=users[outsider])
    case = case_accept(case=case, by=users["xiaoneng"])
    assert case.events.get(action="accept").data["capacity"] == "efficiency_office"


def test_second_acceptor_is_told_who_accepted(users, category) -> None:
    case = _submit(category)
    case_accept(case=case, by=users["intake"])
    with pytest.raises(DomainError) as info:
        case_accept(case=case, by=users["xiaoneng"])
    assert info.value.code == "illegal_transition"
    assert "王晓明" in str(info.value)


def test_accept_refused_once_dispatched(users, category, basic) -> None:
    case = case_dispatch(case=_submit(category), by=users["intake"], lead=basic)
    with pytest.raises(DomainError) as info:
        case_accept(case=case, by=users["intake"])
    assert info.value.code == "illegal_transition"
    assert case.events.filter(action="accept").count() == 1


@pytest.mark.parametrize("way", ["answer", "dispatch", "invalidate"])
def test_answer_dispatch_or_invalidate_straight_from_the_pool(users, category, basic, way):
    case = _submit(category)
    if way == "answer":
        case = case_answer_directly(case=case, by=users["intake"], reply="已答复政策。")
        assert case.state == State.REPLIED
    elif way == "dispatch":
        case = case_dispatch(case=case, by=users["intake"], lead=basic)
        assert case.state == State.DISPATCHED
    else:
        case = case_invalidate(case=case, by=users["intake"], reason="内容无法核实，无联系方式")
        assert case.state == State.INVALID
    case.refresh_from_db()
    assert case.first_contact == users["intake"].staff
    assert case.events.filter(action="accept").count() == 1
    assert clocks.current(case=case, stage=clocks.INTAKE).state == "stopped"


def test_invalid_needs_a_reason_and_a_pool_worker(users, category) -> None:
    case = _submit(category)
    with pytest.raises(DomainError):
        case_invalidate(case=case, by=users["intake"], reason=" ")
    with pytest.raises(PermissionDenied):
        case_invalidate(case=case, by=users["handler_a"], reason="无效")
    assert Case.objects.get(pk=case.pk).state == State.REGISTERED


def test_pool_clock_raises_each_signal_once(users, category) -> None:
    case = _submit(category)
    clock = clocks.current(case=case, stage=clocks.INTAKE)
    marks = clocks.thresholds(clock)

    def levels() -> list[str]:
        return sorted(Signal.objects.filter(clock=clock).values_list("level", flat=True))

    sweep(now=marks.due_at - timedelta(minutes=1))
    early = levels()
    # A one-working-day limit has no earlier working day to pre-warn on, unless it spans one.
    assert early in ([], ["prewarn"])
    sweep(now=marks.due_at + timedelta(minutes=1))
    assert levels() == ["prewarn", "yellow"]
    sweep(now=marks.grace_due_at + timedelta(minutes=1))
    assert levels() == ["prewarn", "red", "yellow"]
    again = sweep(now=marks.grace_due_at + timedelta(minutes=2))
    assert sum(again.raised.values()) == 0
    assert Signal.objects.filter(clock=clock).count() == 3
    red = case.violations.get(kind="red_card")
    assert red.department.code == "office"
    # The pool's worker heard of it.
    from xiaoneng.notify.models import Notification

    assert Notification.objects.filter(
        recipient_user=users["intake"], kind="case.yellow", case_number=case.number
    ).exists()
    # Accepting after the limit says so on the timeline.
    with time_machine.travel(marks.due_at + timedelta(hours=1), tick=False):
        accepted = case_accept(case=case, by=users["intake"])
    assert accepted.events.get(action="accept").data["late"] is True


def test_pool_registration_notifies_the_acting_worker(users, category) -> None:
    from xiaoneng.notify.models import Notification

    case = _submit(category)
    pooled = Notification.objects.filter(kind="case.pooled", case_number=case.number)
    assert list(pooled.values_list("recipient_user__username", flat=True)) == ["intake"]
