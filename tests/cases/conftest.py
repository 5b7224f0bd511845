"""Fixtures for case tests: the demo organisation, categories, and a registered hotline case."""

from __future__ import annotations

import pytest

from xiaoneng.cases.models import Category
from xiaoneng.cases.services import case_register
from xiaoneng.org.models import Department


@pytest.fixture
def basic(demo_org) -> Department:
    return Department.objects.get(unit__code="bureau", code="basic")


@pytest.fixture
def finance(demo_org) -> Department:
    return Department.objects.get(unit__code="bureau", code="finance")


@pytest.fixture
def safety(demo_org) -> Department:
    return Department.objects.get(unit__code="bureau", code="safety")


@pytest.fixture
def category(demo_org) -> Category:
    return Category.objects.get(code="enrolment")


@pytest.fixture
def hotline_case(users, category):
    registered = case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=category,
        title="学校违规收取择校费",
        content="家长反映第一中学在招生时违规收取择校费，请核查。",
        requester_name="张家长",
        requester_phone="13912345678",
        external_number="12345-2026-0001",
    )
    return registered.case
