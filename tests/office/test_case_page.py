"""The case page: every action through one service, with htmx and without JavaScript."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.models import Case
from xiaoneng.cases.services import case_dispatch, case_sign_for
from xiaoneng.org.services import absence_record

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def act(client, case, action, data=None, **extra):
    return client.post(reverse("office:case_act", args=[case.pk, action]), data or {}, **extra)


def test_lifecycle_from_dispatch_to_reply_with_b_holder(login, hotline_case, basic, staff_of):
    client = login("intake")
    page = client.get(reverse("office:case_detail", args=[hotline_case.pk])).content.decode()
    assert "派单" in page
    assert "139****5678" in page
    assert "13912345678" not in page
    # Without JavaScript: POST, then redirected back to the page with a message.
    response = act(client, hotline_case, "dispatch", {"lead": basic.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("office:case_detail", args=[hotline_case.pk])
    assert "已派单至基础教育科，等待签收。" in response.content.decode()
    assert Case.objects.get(pk=hotline_case.pk).state == "dispatched"

    now = timezone.now()
    absence_record(
        staff=staff_of("handler_a"),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=3),
        kind="leave",
        by=None,
    )
    client = login("handler_b")
    home = client.get(reverse("office:home")).content.decode()
    assert hotline_case.number in home
    assert "代李娜办理" in home
    # With htmx: the fragment only, with the new state and the message.
    response = act(client, hotline_case, "sign_for", **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "办理中" in body
    assert "以B岗身份代A岗办理" in body
    response = act(client, hotline_case, "reply", {"text": "经核查，已责令学校退还。"}, **HTMX)
    assert "答复稿已提交负责人审核。" in response.content.decode()

    client = login("head")
    assert hotline_case.number in client.get(reverse("office:queue")).content.decode()
    response = act(client, hotline_case, "review_reply", {"decision": "approve"}, **HTMX)
    assert "答复已审核通过并发送给诉求人。" in response.content.decode()
    assert Case.objects.get(pk=hotline_case.pk).state == "replied"

    client = login("xiaoneng")
    console = client.get(reverse("office:console")).content.decode()
    assert hotline_case.number in console
    response = act(
        client, hotline_case, "rate", {"satisfaction": "satisfied", "resolved": "yes"}, **HTMX
    )
    assert "评价已记录，工单已办结。" in response.content.decode()


def test_errors_come_back_on_the_form_in_chinese(login, hotline_case, basic, users):
    case_sign_for(
        case=case_dispatch(case=hotline_case, by=users["intake"], lead=basic), by=users["handler_a"]
    )
    client = login("handler_a")
    response = act(client, hotline_case, "request_return", {"reason": "不属本科室"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "请更正标注的内容" in body
    assert 'data-testid="action-request_return" open' in body.replace("\n", " ") or "open" in body
    # Without JavaScript the whole page comes back with the error.
    response = act(client, hotline_case, "request_extension", {"extra_units": "0"})
    assert "<html" in response.content.decode()
    assert response.status_code == 200


def test_second_signer_is_told_clearly(login, hotline_case, basic, users):
    case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    case_sign_for(case=hotline_case, by=users["head"])
    client = login("handler_a")
    body = act(client, hotline_case, "sign_for", **HTMX).content.decode()
    assert "已经签收" in body or "已签收" in body


def test_reveal_is_audited_and_shown_once(login, hotline_case):
    client = login("xiaoneng")
    url = reverse("office:case_reveal", args=[hotline_case.pk])
    body = client.post(url, {"reason": "回访核实身份"}, **HTMX).content.decode()
    assert "13912345678" in body
    entry = AuditEntry.objects.filter(action="case.reveal_requester").get()
    assert entry.summary["reason"] == "回访核实身份"
    page = client.get(reverse("office:case_detail", args=[hotline_case.pk])).content.decode()
    assert "13912345678" not in page
    assert "请填写查看事由" in client.post(url, {}, **HTMX).content.decode()


def test_clock_explanation_and_receipt(login, hotline_case):
    from xiaoneng.cases import clocks

    client = login("intake")
    clock = clocks.current(case=hotline_case, stage=clocks.REPLY)
    url = reverse("office:clock_explain", args=[hotline_case.pk, clock.pk])
    fragment = client.get(url, **HTMX).content.decode()
    assert "<html" not in fragment
    assert "截止" in fragment
    assert "不计入" in fragment or "计入" in fragment
    receipt = client.get(reverse("office:case_receipt", args=[hotline_case.pk])).content.decode()
    assert "受理回执" in receipt
    assert hotline_case.tracking_code in receipt
    assert "年" in receipt  # dates in Chinese format


def test_answer_directly_and_english(login, hotline_case, client):
    client = login("intake")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("office:case_detail", args=[hotline_case.pk])).content.decode()
    assert "What you can do now" in body
    act(client, hotline_case, "answer_directly", {"reply": "已当场解答政策。"})
    assert Case.objects.get(pk=hotline_case.pk).state == "replied"
