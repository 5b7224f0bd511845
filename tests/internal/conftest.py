"""Fixtures for internal matters: the clock on Monday 5 January 2026, 09:00 (Asia/Shanghai),
the bureau's departments and a 批办件 registered by 办公室."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import time_machine
from django.utils import timezone

from xiaoneng.internal.services import matter_register
from xiaoneng.org.models import Department, Staff

YEAR = 2026


def moment(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def monday():
    with time_machine.travel(moment(date(YEAR, 1, 5)), tick=False) as traveller:
        yield traveller


@pytest.fixture
def departments(demo_org) -> dict[str, Department]:
    return {d.code: d for d in Department.objects.filter(unit__code="bureau")}


@pytest.fixture
def leader(demo_org) -> Staff:
    return Staff.objects.get(user__username="leader")


@pytest.fixture
def instruction(users, departments, leader, monday):
    return matter_register(
        by=users["intake"],
        kind="instruction",
        title="关于做好春季学期开学工作的通知",
        body="市政府办公室来文",
        leader=leader,
        instruction="请基础教育科牵头抓好落实，安全稳定科配合。",
        instructed_on=date(YEAR, 1, 4),
        lead_department=departments["basic"],
        assisting=[departments["safety"]],
    )


@pytest.fixture
def login(client, demo_org, demo_password):
    def sign_in(username: str):
        client.logout()
        assert client.login(username=username, password=demo_password)
        return client

    return sign_in
