"""Fixtures for the evaluation tests: a questionnaire, a round over three departments and two
schools, closed cases to sample from, and an SMS gateway the test can read."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import count

import pytest
from django.utils import timezone

from tests.notify.backends import CapturingSmsBackend
from xiaoneng.cases.models import Case, Category
from xiaoneng.cases.services import case_register
from xiaoneng.evaluation.models import QuestionnaireVersion, Round
from xiaoneng.evaluation.services.questionnaires import question_create, questionnaire_create
from xiaoneng.evaluation.services.rounds import round_create, round_open
from xiaoneng.notify.relay import outbox_relay
from xiaoneng.org.models import Department, Unit

_numbers = count(1)
LINK = re.compile(r"https?://\S+/portal/evaluation/i/([\w-]+)/")
DEPARTMENTS = ("basic", "finance", "personnel")
SCHOOLS = ("school-1", "school-2")


@pytest.fixture
def sms(settings) -> Iterator[type[CapturingSmsBackend]]:
    settings.XIAONENG_SMS_BACKEND = "tests.notify.backends.CapturingSmsBackend"
    CapturingSmsBackend.handed = []
    yield CapturingSmsBackend
    CapturingSmsBackend.handed = []


def relay_tokens(sms: type[CapturingSmsBackend]) -> list[tuple[str, str, str]]:
    """Send what waits in the outbox; (phone, text, token) of each invitation the gateway got."""
    outbox_relay(limit=1000)
    found = []
    for phone, text in sms.handed:
        match = LINK.search(text)
        if match:
            found.append((phone, text, match.group(1)))
    return found


@pytest.fixture
def version(users) -> QuestionnaireVersion:
    by = users["xiaoneng"]
    used = question_create(
        by=by,
        code="used",
        kind="single",
        text_zh="您近一年是否办理过业务？",
        text_en="Have you dealt with us this year?",
        options=[
            {"value": "yes", "zh": "是", "en": "Yes"},
            {"value": "no", "zh": "否", "en": "No"},
        ],
    )
    attitude = question_create(
        by=by,
        code="attitude",
        kind="scale",
        text_zh="服务态度",
        text_en="Attitude",
        options=[{"zh": z} for z in ("很差", "较差", "一般", "较好", "很好")],
        show_if_question=used,
        show_if_values=["yes"],
    )
    speed = question_create(by=by, code="speed", kind="scale", text_zh="办事效率", text_en="Speed")
    ways = question_create(
        by=by,
        code="ways",
        kind="multiple",
        text_zh="您通过哪些渠道办事？",
        options=[
            {"value": "web", "zh": "网上"},
            {"value": "desk", "zh": "窗口"},
            {"value": "phone", "zh": "电话"},
        ],
        required=False,
    )
    comment = question_create(
        by=by, code="comment", kind="text", text_zh="意见建议", text_en="Comments", required=False
    )
    return questionnaire_create(
        by=by,
        name_zh="服务对象满意度问卷",
        name_en="Satisfaction",
        questions=[used, attitude, speed, ways, comment],
    )


@pytest.fixture
def departments(demo_org) -> list[Department]:
    return [Department.objects.get(unit__code="bureau", code=code) for code in DEPARTMENTS]


@pytest.fixture
def schools(demo_org) -> list[Unit]:
    return [Unit.objects.get(code=code) for code in SCHOOLS]


@pytest.fixture
def make_round(users, version, departments, schools):
    def make(**extra: object) -> Round:
        today = timezone.localdate()
        fields = {
            "title": "2026年秋季服务对象满意度测评",
            "version": version,
            "period_from": today - timedelta(days=90),
            "period_to": today,
            "departments": departments,
            "schools": schools,
            "named_panels": ["人大代表政协委员"],
            "sample_size": 4,
            "min_answers": 3,
            **extra,
        }
        return round_create(by=users["xiaoneng"], **fields)  # type: ignore[arg-type]

    return make


@pytest.fixture
def open_round(users, make_round) -> Round:
    return round_open(by=users["xiaoneng"], round_=make_round())


@pytest.fixture
def closed_case(users, demo_org):
    category = Category.objects.get(code="enrolment")

    def make(
        *,
        department: Department | None = None,
        school: Unit | None = None,
        channel: str = "hotline",
        phone: str = "",
        closed_on: date | None = None,
        anonymous: bool = False,
    ) -> Case:
        n = next(_numbers)
        case = case_register(
            by=users["intake"],
            channel=channel,
            kind="complaint",
            category=category,
            title=f"测试件{n}",
            content="内容",
            requester_name="张家长",
            requester_phone=phone or f"1380000{n:04d}",
            unit_concerned=school,
        ).case
        lead = department or Department.objects.get(unit=school, code="principal")
        closed_at = (
            timezone.now()
            if closed_on is None
            else timezone.make_aware(
                timezone.datetime.combine(closed_on, timezone.datetime.min.time()).replace(hour=10)
            )
        )
        # The case's own lifecycle is tested in tests/cases; here only its end state matters.
        Case.objects.filter(pk=case.pk).update(
            state="closed", closed_at=closed_at, lead_department=lead, is_anonymous=anonymous
        )
        case.refresh_from_db()
        return case

    return make
