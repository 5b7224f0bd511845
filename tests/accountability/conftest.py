"""Fixtures for accountability tests: violations at each step, and a case to drive."""

from __future__ import annotations

import pytest

from xiaoneng.accountability.models import Violation
from xiaoneng.accountability.services import (
    sanction_decide,
    violation_record_manual,
    violation_review,
)
from xiaoneng.cases.models import Category
from xiaoneng.cases.services import case_register
from xiaoneng.org.models import Department


@pytest.fixture
def basic(demo_org) -> Department:
    return Department.objects.get(unit__code="bureau", code="basic")


@pytest.fixture
def category(demo_org) -> Category:
    return Category.objects.get(code="enrolment")


@pytest.fixture
def hotline_case(users, category):
    return case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=category,
        title="学校违规收取择校费",
        content="家长反映第一中学在招生时违规收取择校费，请核查。",
        requester_name="张家长",
        requester_phone="13912345678",
    ).case


@pytest.fixture
def pending(users, staff_of, basic) -> Violation:
    return violation_record_manual(
        by=users["inspector"],
        kind=Violation.Kind.INSPECTION,
        description="暗访发现上班时间离岗。",
        source_key="inspection:test-1",
        department=basic,
        staff=staff_of("handler_a"),
    )


@pytest.fixture
def confirmed(users, staff_of, pending) -> Violation:
    return violation_review(
        by=users["xiaoneng"],
        violation=pending,
        confirm=True,
        grade=Violation.Grade.GENERAL,
        persons=[(staff_of("handler_a"), "handler"), (staff_of("head"), "approver")],
    )


@pytest.fixture
def sanction(users, staff_of, confirmed):
    return sanction_decide(
        by=users["inspector"],
        violation=confirmed,
        staff=staff_of("handler_a"),
        measure="warning",
        reason="离岗影响办事群众。",
    )
