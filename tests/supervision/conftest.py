"""Fixtures for supervision tests: departments, an order, a replied case, an inspection."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xiaoneng.cases.models import Category
from xiaoneng.cases.services import case_answer_directly, case_register
from xiaoneng.org.models import Department
from xiaoneng.supervision.services import supervision_order_create

PDF = b"%PDF-1.4\n% test\n"


@pytest.fixture
def basic(demo_org) -> Department:
    return Department.objects.get(unit__code="bureau", code="basic")


@pytest.fixture
def principal(demo_org) -> Department:
    return Department.objects.get(unit__code="school-1", code="principal")


@pytest.fixture
def make_order(users, basic):
    def make(**overrides):
        fields = {
            "by": users["xiaoneng"],
            "title": "招生入学投诉整改落实",
            "description": "请于期限内核查整改并书面反馈。",
            "kind": "rectification",
            "unit": basic.unit,
            "department": basic,
            "due_working_days": 5,
        }
        fields.update(overrides)
        return supervision_order_create(**fields)

    return make


@pytest.fixture
def order(make_order):
    return make_order()


@pytest.fixture
def make_replied_case(users):
    def make(phone: str = "13912345678", **overrides):
        fields = {
            "by": users["intake"],
            "channel": "phone",
            "kind": "inquiry",
            "category": Category.objects.get(code="enrolment"),
            "title": "咨询入学政策",
            "content": "家长咨询义务教育入学政策。",
            "requester_name": "张家长",
            "requester_phone": phone,
        }
        fields.update(overrides)
        case = case_register(**fields).case
        return case_answer_directly(case=case, by=users["intake"], reply="已按政策答复。")

    return make


@pytest.fixture
def replied_case(make_replied_case):
    return make_replied_case()


def pdf_file(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def later(order, days: int) -> datetime:
    """A moment ``days`` calendar days after the order was issued."""
    return order.issued_at + timedelta(days=days)


def after_due(order) -> datetime:
    order.clock.refresh_from_db()
    return order.clock.due_at + timedelta(minutes=1)


def now() -> datetime:
    return timezone.now()
