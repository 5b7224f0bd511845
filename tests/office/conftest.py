"""Fixtures for office tests: signing in as a demo person, and a registered hotline case."""

from __future__ import annotations

import pytest

from xiaoneng.cases.models import Category
from xiaoneng.cases.services import case_register
from xiaoneng.org.models import Department


@pytest.fixture
def login(client, demo_org, demo_password):
    def sign_in(username: str):
        client.logout()
        assert client.login(username=username, password=demo_password)
        return client

    return sign_in


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
    def make(**overrides):
        fields = {
            "by": users["intake"],
            "channel": "hotline",
            "kind": "complaint",
            "category": category,
            "title": "学校违规收取择校费",
            "content": "家长反映第一中学在招生时违规收取择校费，请核查。",
            "requester_name": "张家长",
            "requester_phone": "13912345678",
        }
        fields.update(overrides)
        return case_register(**fields).case

    return make


@pytest.fixture
def hotline_case(make_case):
    return make_case()
