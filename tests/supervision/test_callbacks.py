"""Callbacks (回访): worklist and sampling, outcomes, ratings through the case services,
the reopen review on an unsatisfied rating, unreachable after three failed attempts."""

from __future__ import annotations

import pytest

from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.states import State
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.models import Unit
from xiaoneng.supervision.models import Callback, CallbackPolicy
from xiaoneng.supervision.selectors import callback_worklist
from xiaoneng.supervision.services import (
    callback_policy_set,
    callback_record,
    in_sample,
    sample_bucket,
)

pytestmark = pytest.mark.django_db


def test_reached_and_satisfied_closes_the_case_as_a_callback_rating(replied_case, users) -> None:
    callback = callback_record(
        case=replied_case,
        by=users["xiaoneng"],
        outcome="reached",
        satisfaction="satisfied",
        resolved=True,
        notes="家长表示满意。",
    )
    replied_case.refresh_from_db()
    assert replied_case.state == State.CLOSED
    assert replied_case.rated_by_callback
    assert replied_case.satisfaction == "satisfied"
    assert replied_case.resolved is True
    assert callback.final
    assert callback.rating_applied
    assert callback.attempt == 1
    entry = AuditEntry.objects.get(action="supervision.callback.record")
    assert entry.summary["outcome"] == "reached"
    assert "张家长" not in str(entry.summary)
    assert "13912345678" not in str(entry.summary)
    assert replied_case not in callback_worklist(users["xiaoneng"])


def test_unsatisfied_goes_to_the_reopen_review(replied_case, users) -> None:
    callback_record(
        case=replied_case,
        by=users["xiaoneng"],
        outcome="reached",
        satisfaction="unsatisfied",
        resolved=False,
    )
    replied_case.refresh_from_db()
    assert replied_case.state == State.REOPEN_REVIEW
    assert replied_case.rated_by_callback
    assert replied_case.events.filter(action="rate").exists()  # through case_rate, not by hand


def test_three_failed_attempts_mark_the_case_unreachable(replied_case, users) -> None:
    office = users["xiaoneng"]
    first = callback_record(case=replied_case, by=office, outcome="not_reached")
    second = callback_record(case=replied_case, by=office, outcome="not_reached")
    assert not first.final
    assert not second.final
    assert replied_case in callback_worklist(office)
    third = callback_record(case=replied_case, by=office, outcome="not_reached", notes="无人接听")
    assert third.final
    assert third.unreachable
    assert third.attempt == 3
    replied_case.refresh_from_db()
    assert replied_case.state == State.REPLIED  # no rating: the rating window decides
    assert replied_case not in callback_worklist(office)
    with pytest.raises(DomainError):
        callback_record(case=replied_case, by=office, outcome="not_reached")


def test_refused_ends_the_callback_without_a_rating(replied_case, users) -> None:
    callback = callback_record(case=replied_case, by=users["xiaoneng"], outcome="refused")
    assert callback.final
    assert not callback.rating_applied
    replied_case.refresh_from_db()
    assert not replied_case.rated_by_callback
    assert replied_case.state == State.REPLIED


@pytest.mark.parametrize(
    "kwargs",
    [
        {"outcome": "reached"},  # no rating
        {"outcome": "reached", "satisfaction": "satisfied"},  # resolved missing
        {"outcome": "reached", "satisfaction": "unrated", "resolved": True},
        {"outcome": "maybe"},
    ],
)
def test_incomplete_outcomes_are_refused(replied_case, users, kwargs) -> None:
    with pytest.raises(DomainError):
        callback_record(case=replied_case, by=users["xiaoneng"], **kwargs)
    assert not Callback.objects.exists()


@pytest.mark.parametrize("username", ["leader", "inspector", "head", "intake"])
def test_only_the_efficiency_office_calls_back(replied_case, users, username) -> None:
    with pytest.raises(PermissionDenied):
        callback_record(case=replied_case, by=users[username], outcome="refused")


def test_a_case_not_awaiting_its_rating_cannot_be_called_back(replied_case, users) -> None:
    callback_record(
        case=replied_case,
        by=users["xiaoneng"],
        outcome="reached",
        satisfaction="satisfied",
        resolved=True,
    )
    with pytest.raises(DomainError):
        callback_record(case=replied_case, by=users["xiaoneng"], outcome="refused")


def test_worklist_samples_deterministically_per_unit(make_replied_case, users) -> None:
    office = users["xiaoneng"]
    cases = [make_replied_case(phone=f"1390000{i:04d}") for i in range(12)]
    assert {case.pk for case in callback_worklist(office)} == {case.pk for case in cases}
    bureau = Unit.objects.get(code="bureau")
    callback_policy_set(by=office, unit=bureau, sample_percent=50)
    expected = {case.pk for case in cases if sample_bucket(case.number) < 50}
    listed = {case.pk for case in callback_worklist(office)}
    assert listed == expected
    assert listed == {case.pk for case in callback_worklist(office)}  # stable
    callback_policy_set(by=office, unit=bureau, sample_percent=0)
    assert callback_worklist(office) == []
    assert in_sample("X", 100)
    assert not in_sample("X", 0)


def test_policy_changes_are_audited_and_checked(users) -> None:
    bureau = Unit.objects.get(code="bureau")
    policy = callback_policy_set(by=users["xiaoneng"], unit=bureau, sample_percent=30)
    callback_policy_set(by=users["xiaoneng"], unit=bureau, sample_percent=40)
    assert CallbackPolicy.objects.get(pk=policy.pk).sample_percent == 40
    assert AuditEntry.objects.filter(action="supervision.callback_policy.set").count() == 2
    with pytest.raises(DomainError):
        callback_policy_set(by=users["xiaoneng"], unit=bureau, sample_percent=101)
    with pytest.raises(PermissionDenied):
        callback_policy_set(by=users["leader"], unit=bureau, sample_percent=10)
