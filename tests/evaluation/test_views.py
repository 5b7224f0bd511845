"""Every evaluation page and who may use it: units see their own results only, the three
administrators see nothing, the public sees approved results only; the files open."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.documents.pdftext import pdf_text
from xiaoneng.evaluation.models import Invitation, Panel, Round, RoundUnit
from xiaoneng.evaluation.services.answers import invitation_answer
from xiaoneng.evaluation.services.invitations import token_hash
from xiaoneng.evaluation.services.rounds import round_close

pytestmark = pytest.mark.django_db

ADMINS = ("sysadmin", "secadmin", "auditor")


def _invite(round_unit: RoundUnit, panel: Panel, token: str) -> None:
    from datetime import timedelta

    from django.utils import timezone

    Invitation.objects.create(
        round=round_unit.round,
        round_unit=round_unit,
        panel=panel,
        token_hash=token_hash(token),
        expires_at=timezone.now() + timedelta(days=1),
    )


@pytest.fixture
def closed_round(users, open_round) -> Round:
    """Answers through links created here (the SMS way is tested in test_scenario.py)."""
    panel = open_round.panels.get(kind=Panel.Kind.RECIPIENTS)
    for unit in open_round.units.all():
        for i in range(4):
            token = f"t-{unit.pk}-{i}"
            _invite(unit, panel, token)
            invitation_answer(
                token=token,
                submitted={
                    "used": ["yes"],
                    "attitude": [str(2 + i % 3)],
                    "speed": [str(3 + i % 2)],
                    "comment": ["校长王建国办事拖拉，电话13912345678"],
                },
            )
    return round_close(by=users["xiaoneng"], round_=open_round)


def _client(users, name: str) -> Client:
    client = Client()
    client.force_login(users[name])
    return client


def _units(round_: Round) -> dict[str, RoundUnit]:
    return {u.name: u for u in round_.units.all()}


def test_administrators_and_other_roles_are_refused_everywhere(users, closed_round) -> None:
    unit = closed_round.units.first()
    urls = [
        reverse("evaluation:rounds"),
        reverse("evaluation:round", args=[closed_round.pk]),
        reverse("evaluation:unit_results", args=[closed_round.pk, unit.pk]),
        reverse("evaluation:report", args=[closed_round.pk, "pdf"]),
        reverse("evaluation:poster", args=[closed_round.pk, unit.pk, "png"]),
        reverse("evaluation:questions"),
        reverse("evaluation:typical_list"),
        reverse("evaluation:round_new"),
    ]
    for name in (*ADMINS, "intake", "handler_a", "inspector"):
        client = _client(users, name)
        for url in urls:
            assert client.get(url).status_code == 403, (name, url)
    anonymous = Client()
    assert all(anonymous.get(url).status_code == 302 for url in urls)


def test_heads_see_their_own_units_results_only(users, closed_round) -> None:
    units = _units(closed_round)
    basic, finance, school = units["基础教育科"], units["计划财务科"], units["示例市第一中学"]
    head = _client(users, "head")
    page = head.get(reverse("evaluation:round", args=[closed_round.pk])).content.decode()
    assert "基础教育科" in page
    assert "计划财务科" not in page
    assert "示例市第一中学" not in page
    assert (
        head.get(reverse("evaluation:unit_results", args=[closed_round.pk, basic.pk])).status_code
        == 200
    )
    assert (
        head.get(reverse("evaluation:unit_results", args=[closed_round.pk, finance.pk])).status_code
        == 404
    )
    school_head = _client(users, "school_head")
    assert (
        school_head.get(
            reverse("evaluation:unit_results", args=[closed_round.pk, school.pk])
        ).status_code
        == 200
    )
    assert (
        school_head.get(
            reverse("evaluation:unit_results", args=[closed_round.pk, basic.pk])
        ).status_code
        == 404
    )
    # Free text reaches the unit's head redacted.
    own = head.get(
        reverse("evaluation:unit_results", args=[closed_round.pk, basic.pk])
    ).content.decode()
    assert "办事拖拉" in own
    assert "13912345678" not in own
    # The head of a department not evaluated sees no round at all.
    other = _client(users, "vocational_head")
    assert other.get(reverse("evaluation:round", args=[closed_round.pk])).status_code == 404
    assert "2026年秋季" not in other.get(reverse("evaluation:rounds")).content.decode()


def test_results_public_only_after_a_leaders_approval(users, closed_round) -> None:
    public = Client()
    url = reverse("evaluation_public:results", args=[closed_round.pk])
    assert public.get(url).status_code == 404
    assert closed_round.title not in public.get(reverse("evaluation_public:index")).content.decode()
    xiaoneng = _client(users, "xiaoneng")
    xiaoneng.post(reverse("evaluation:round_approve", args=[closed_round.pk]))  # 403: leaders only
    assert Round.objects.get(pk=closed_round.pk).state == "closed"
    leader = _client(users, "leader")
    assert (
        leader.post(reverse("evaluation:round_approve", args=[closed_round.pk])).status_code == 302
    )
    page = public.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "基础教育科" in text
    assert "办事拖拉" not in text


def test_round_files_open(users, closed_round) -> None:
    client = _client(users, "leader")
    docx = client.get(reverse("evaluation:report", args=[closed_round.pk, "docx"]))
    body = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "群众评议结果报告" in body
    assert "基础教育科" in body
    pdf = client.get(reverse("evaluation:report", args=[closed_round.pk, "pdf"]))
    assert "基础教育科" in pdf_text(pdf.content)
    url = reverse("evaluation:report", args=[closed_round.pk, "xlsx"])
    assert client.get(url).status_code == 200  # asks the reason first
    export = client.post(url, {"reason": "评议结果汇总"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "基础教育科" in values
    unit = closed_round.units.first()
    xiaoneng = _client(users, "xiaoneng")
    png = xiaoneng.get(reverse("evaluation:poster", args=[closed_round.pk, unit.pk, "png"]))
    assert png.content.startswith(b"\x89PNG")
    poster = xiaoneng.get(reverse("evaluation:poster", args=[closed_round.pk, unit.pk, "pdf"]))
    assert unit.name in pdf_text(poster.content)


def test_round_list_queries_do_not_grow(users, make_round) -> None:
    client = _client(users, "xiaoneng")
    make_round()
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("evaluation:rounds")).status_code == 200
    for i in range(5):
        make_round(title=f"轮次{i}")
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("evaluation:rounds"))
    assert len(six) == len(one)


def test_office_creates_a_round_and_opens_it(users, version, departments, schools) -> None:
    client = _client(users, "xiaoneng")
    response = client.post(
        reverse("evaluation:round_new"),
        {
            "title": "2026年度民主评议机关科室",
            "version": version.pk,
            "period_from": "2026-01-01",
            "period_to": "2026-12-31",
            "departments": [d.pk for d in departments],
            "named_panels": "人大代表政协委员\n家长委员会",
            "sample_size": 5,
            "min_answers": 5,
            "link_days": 14,
            "public_open": "on",
        },
    )
    round_ = Round.objects.get(title="2026年度民主评议机关科室")
    assert response.status_code == 302
    assert sorted(round_.panels.values_list("kind", flat=True)) == [
        "named",
        "named",
        "public",
        "recipients",
    ]
    bad = client.post(
        reverse("evaluation:round_new"),
        {
            "title": "x",
            "version": version.pk,
            "period_from": "2026-02-01",
            "period_to": "2026-01-01",
            "sample_size": 5,
            "min_answers": 5,
            "link_days": 14,
        },
    )
    assert bad.status_code == 200
    assert "msg-warning" in bad.content.decode()
    client.post(reverse("evaluation:round_act", args=[round_.pk, "open"]))
    assert Round.objects.get(pk=round_.pk).state == "open"
    client.post(reverse("evaluation:round_act", args=[round_.pk, "open"]))  # twice: no change
    client.post(reverse("evaluation:round_approve", args=[round_.pk]))
    assert Round.objects.get(pk=round_.pk).state == "open"


def test_the_evaluation_weight_is_set_beside_the_case_weights(users, demo_org) -> None:
    from xiaoneng.assessment.models import AssessmentSettings

    client = _client(users, "xiaoneng")
    url = reverse("assessment:weights")
    weights = {"weight_response": 30, "weight_resolution": 35, "weight_satisfaction": 35}
    assert client.post(url, {**weights, "weight_evaluation": 101}).status_code == 200
    assert client.post(url, {**weights, "weight_evaluation": 40}).status_code == 302
    assert AssessmentSettings.objects.get(pk=1).weight_evaluation == 40
    assert _client(users, "head").get(url).status_code == 403
