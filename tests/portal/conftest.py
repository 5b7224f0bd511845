"""Fixtures for the portal: a clean rate-limit cache, an Open311 key, cases moved by staff."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from xiaoneng.cases.models import Case, Category
from xiaoneng.cases.services import case_dispatch, case_reply, case_sign_for
from xiaoneng.org.models import Department
from xiaoneng.portal.services import open311_key_create


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def category(demo_org) -> Category:
    return Category.objects.get(code="enrolment")


@pytest.fixture
def basic(demo_org) -> Department:
    return Department.objects.get(unit__code="bureau", code="basic")


@pytest.fixture
def api_key(demo_org) -> str:
    _key, raw = open311_key_create(name="test-client")
    return raw


def submit_form(category: Category, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "complaint",
        "category": category.pk,
        "unit_concerned": "",
        "person_concerned": "",
        "title": "学校违规收取择校费",
        "content": "第一中学在招生时收取择校费五千元，请核查。",
        "requester_name": "刘家长",
        "requester_phone": "13800001234",
        "requester_email": "",
        "consent_publish": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def receipt_of(html: str) -> tuple[str, str]:
    code = re.search(r'data-testid="tracking-code">([A-Z0-9]+)<', html)
    secret = re.search(r'data-testid="tracking-secret">([A-Z0-9]+)<', html)
    assert code, "the receipt shows the tracking code"
    assert secret, "the receipt shows the secret"
    return code[1], secret[1]


def staff_reply(
    case: Case, users, basic: Department, text: str = "经核查，已责令学校退还费用。"
) -> Case:
    """The efficiency office dispatches, the A holder signs for it, the head replies."""
    case = case_dispatch(case=case, by=users["xiaoneng"], lead=basic)
    case = case_sign_for(case=case, by=users["handler_a"])
    return case_reply(case=case, by=users["head"], text=text)
