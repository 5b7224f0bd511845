"""Fixtures for assessment tests: cases driven through the real services."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest

from xiaoneng.cases.models import Case, Category
from xiaoneng.cases.services import (
    case_dispatch,
    case_rate,
    case_register,
    case_reply,
    case_sign_for,
)
from xiaoneng.org.models import Department
from xiaoneng.workdays.models import Clock

_numbers = count(1)


@pytest.fixture
def basic(demo_org) -> Department:
    return Department.objects.get(unit__code="bureau", code="basic")


@pytest.fixture
def finance(demo_org) -> Department:
    return Department.objects.get(unit__code="bureau", code="finance")


@pytest.fixture
def category(demo_org) -> Category:
    return Category.objects.get(code="enrolment")


@pytest.fixture
def make_case(users, category):
    def make(channel: str = "hotline", kind: str = "complaint", phone: str = "", **extra) -> Case:
        n = next(_numbers)
        return case_register(
            by=users["intake"],
            channel=channel,
            kind=kind,
            category=extra.pop("category", category),
            title=f"测试件{n}",
            content="内容",
            requester_name="张家长",
            requester_phone=phone or f"1391234{n:04d}",
            **extra,
        ).case

    return make


def make_late(case: Case, stage: str) -> None:
    """Move the running clock's deadline into the past: the next step is late."""
    Clock.objects.filter(
        owner_type="cases.case", owner_id=case.pk, stage=stage, state="running"
    ).update(
        due_at=Clock.objects.get(
            owner_type="cases.case", owner_id=case.pk, stage=stage, state="running"
        ).started_at
        - timedelta(seconds=1)
    )


@pytest.fixture
def flow(users, basic):
    """Drive a case: dispatch, sign for, reply (as the head), rate."""

    def run(
        case: Case,
        *,
        late_sign: bool = False,
        late_reply: bool = False,
        rating: str | None = None,
        resolved: bool = True,
        until: str = "rate",
    ) -> Case:
        case = case_dispatch(case=case, by=users["intake"], lead=basic)
        if until == "dispatch":
            return case
        if late_sign:
            make_late(case, "sign_for")
        case = case_sign_for(case=case, by=users["head"])
        if until == "sign":
            return case
        if late_reply:
            make_late(case, "reply")
        case = case_reply(case=case, by=users["head"], text="已核查处理。")
        if until == "reply" or rating is None:
            return case
        return case_rate(case=case, satisfaction=rating, resolved=resolved)

    return run


@pytest.fixture
def login(client, demo_org, demo_password):
    def sign_in(username: str):
        client.logout()
        assert client.login(username=username, password=demo_password)
        return client

    return sign_in
