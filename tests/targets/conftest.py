"""Fixtures for targets: a target of this year with a bureau task and a school task."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import time_machine
from django.utils import timezone

from xiaoneng.org.models import Department
from xiaoneng.targets.services import milestone_add, target_create, task_create

YEAR = 2026


@pytest.fixture
def january():
    """Tests run on 5 January 2026, 09:00 (Asia/Shanghai) unless they move the clock."""
    moment = timezone.make_aware(datetime.combine(date(YEAR, 1, 5), time(9)))
    with time_machine.travel(moment, tick=False) as traveller:
        yield traveller


@pytest.fixture
def basic(demo_org) -> Department:
    return Department.objects.get(unit__code="bureau", code="basic")


@pytest.fixture
def principal(demo_org) -> Department:
    return Department.objects.get(unit__code="school-1", code="principal")


@pytest.fixture
def target(users, january):
    return target_create(
        by=users["xiaoneng"], year=YEAR, source="city", title="新建改扩建中小学校舍"
    )


@pytest.fixture
def task(users, staff_of, target, basic):
    return task_create(
        by=users["xiaoneng"],
        target=target,
        title="校舍建设（市教育局）",
        unit=basic.unit,
        department=basic,
        leader=staff_of("leader"),
        person=staff_of("handler_a"),
    )


@pytest.fixture
def school_task(users, staff_of, target, principal):
    return task_create(
        by=users["xiaoneng"],
        target=target,
        title="校舍建设（第一中学）",
        unit=principal.unit,
        department=principal,
        person=staff_of("school_handler"),
    )


@pytest.fixture
def milestone(users, task):
    return milestone_add(
        by=users["xiaoneng"], task=task, title="完成设计招标", due_date=date(YEAR, 3, 31)
    )


@pytest.fixture
def login(client, demo_org, demo_password):
    def sign_in(username: str):
        client.logout()
        assert client.login(username=username, password=demo_password)
        return client

    return sign_in
