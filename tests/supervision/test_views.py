"""The supervision pages: permissions for every view, forms through to the services,
documents and the Excel export opened, query budgets on the lists."""

from __future__ import annotations

import io
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from tests.documents.pdftext import pdf_text
from tests.supervision.conftest import pdf_file
from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.states import State
from xiaoneng.org.models import Unit
from xiaoneng.supervision.models import Callback, Order
from xiaoneng.supervision.services import (
    finding_add,
    inspection_create,
    supervision_feedback_submit,
    supervision_order_accept,
    supervision_order_remind,
)

pytestmark = pytest.mark.django_db
BUDGET = 10


@pytest.fixture
def login(client, demo_org, demo_password):
    def sign_in(username: str):
        client.logout()
        assert client.login(username=username, password=demo_password)
        return client

    return sign_in


@pytest.fixture
def inspection(users, staff_of):
    return inspection_create(
        by=users["inspector"],
        kind="open",
        date=timezone.localdate(),
        place="第一中学",
        unit=Unit.objects.get(code="school-1"),
        inspectors=[staff_of("inspector")],
        summary="明察第一中学窗口服务。",
    )


LIST_VIEWS = {
    "supervision:order_list": (
        ["xiaoneng", "leader", "head", "handler_a", "school_head"],
        ["auditor", "sysadmin", "inspector", "intake"],
    ),
    "supervision:order_new": (["xiaoneng", "leader"], ["head", "handler_a", "inspector"]),
    "supervision:report": (["xiaoneng", "leader"], ["head", "handler_a", "auditor"]),
    "supervision:report_export": (["xiaoneng", "leader"], ["head", "inspector"]),
    "supervision:callback_list": (["xiaoneng", "leader"], ["head", "inspector", "auditor"]),
    "supervision:callback_policies": (["xiaoneng", "leader"], ["head", "intake"]),
    "supervision:inspection_list": (["inspector", "xiaoneng", "leader"], ["head", "auditor"]),
    "supervision:inspection_new": (["inspector"], ["xiaoneng", "leader", "head"]),
}


@pytest.mark.parametrize("name", LIST_VIEWS)
def test_page_permissions(client, login, demo_org, name) -> None:
    url = reverse(name)
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert reverse("office:login") in anonymous["Location"]
    allowed, forbidden = LIST_VIEWS[name]
    for username in allowed:
        assert login(username).get(url).status_code == 200, username
    for username in forbidden:
        assert login(username).get(url).status_code == 403, username


def test_order_object_views_are_scoped(client, login, order, users) -> None:
    reminder = supervision_order_remind(order=order, by=users["xiaoneng"], note="请加快。")
    feedback = supervision_feedback_submit(
        order=order, by=users["handler_a"], text="已办结。", file=pdf_file("r.pdf")
    )
    urls = [
        reverse("supervision:order_detail", args=[order.pk]),
        reverse("supervision:order_document", args=[order.pk, "pdf"]),
        reverse("supervision:order_document", args=[order.pk, "docx"]),
        reverse("supervision:reminder_document", args=[order.pk, reminder.pk, "pdf"]),
        reverse("supervision:feedback_file", args=[order.pk, feedback.pk]),
    ]
    for url in urls:
        client.logout()
        assert client.get(url).status_code == 302
        for username in ("xiaoneng", "leader", "head", "handler_a", "handler_b"):
            assert login(username).get(url).status_code == 200, (url, username)
        for username in ("school_handler", "school_head", "finance_head"):
            assert login(username).get(url).status_code == 404, (url, username)
        for username in ("auditor", "inspector", "intake"):
            assert login(username).get(url).status_code == 403, (url, username)
    login("xiaoneng")
    bad = reverse("supervision:order_document", args=[order.pk, "exe"])
    assert client.get(bad).status_code == 404


POSTS = ["order_feedback", "order_decide", "order_remind"]


@pytest.mark.parametrize("name", POSTS)
def test_order_posts_refuse_get_anonymous_and_wrong_people(client, login, order, name) -> None:
    url = reverse(f"supervision:{name}", args=[order.pk])
    assert client.post(url).status_code == 302
    assert login("xiaoneng").get(url).status_code == 405
    assert login("auditor").post(url).status_code == 403
    outsider = "school_handler" if name == "order_feedback" else "head"
    expected = 404 if name == "order_feedback" else 403
    assert login(outsider).post(url, {"text": "x", "note": "x"}).status_code == expected


def test_issue_answer_return_and_accept_through_the_pages(
    login, users, basic, replied_case
) -> None:
    hotline_case = replied_case
    client = login("xiaoneng")
    response = client.post(
        reverse("supervision:order_new"),
        {
            "kind": "case",
            "title": "督办择校费投诉",
            "description": "请核查并反馈。",
            "case_number": hotline_case.number,
            "department": basic.pk,
            "due_working_days": 5,
        },
    )
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()
    assert order.case == hotline_case

    client = login("handler_a")
    page = client.get(order.get_absolute_url()).content.decode()
    assert 'action="' + reverse("supervision:order_feedback", args=[order.pk]) in page
    upload = pdf_file("整改报告.pdf")
    response = client.post(
        reverse("supervision:order_feedback", args=[order.pk]), {"text": "已核查。", "file": upload}
    )
    assert response.status_code == 302
    # A second answer while the first is under review: a message, not a 500.
    again = client.post(reverse("supervision:order_feedback", args=[order.pk]), {"text": "补充"})
    assert again.status_code == 400

    client = login("xiaoneng")
    decide = reverse("supervision:order_decide", args=[order.pk])
    assert client.post(decide, {"decision": "return", "note": ""}).status_code == 400
    assert client.post(decide, {"decision": "return", "note": "请补充整改结果"}).status_code == 302
    order.refresh_from_db()
    assert (order.state, order.return_count) == (Order.State.ISSUED, 1)
    login("head").post(reverse("supervision:order_feedback", args=[order.pk]), {"text": "已整改"})
    client = login("xiaoneng")
    assert client.post(decide, {"decision": "accept"}).status_code == 302
    order.refresh_from_db()
    assert order.state == Order.State.ACCEPTED
    assert client.post(decide, {"decision": "accept"}).status_code == 400  # accepting twice
    remind = reverse("supervision:order_remind", args=[order.pk])
    assert client.post(remind, {"note": "催办"}).status_code == 400  # reminder on a closed order


def test_issue_form_errors_stay_on_the_form(login, basic) -> None:
    client = login("xiaoneng")
    response = client.post(
        reverse("supervision:order_new"),
        {"kind": "case", "title": "x", "description": "y", "department": basic.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    response = client.post(
        reverse("supervision:order_new"),
        {
            "kind": "other",
            "title": "x",
            "description": "y",
            "department": basic.pk,
            "case_number": "NOPE",
            "due_working_days": 3,
        },
    )
    assert "case_number" in response.context["form"].errors
    assert not Order.objects.exists()


def test_documents_open_and_read_right(login, order, users) -> None:
    reminder = supervision_order_remind(order=order, by=users["xiaoneng"], note="请于本周内反馈。")
    client = login("head")
    pdf = client.get(reverse("supervision:order_document", args=[order.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "督办单" in text
    assert order.title in text
    assert "效督" in text
    docx = client.get(reverse("supervision:order_document", args=[order.pk, "docx"]))
    body = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "督办单" in body
    assert order.description in body
    assert "示例市教育局基础教育科" in body
    notice = client.get(
        reverse("supervision:reminder_document", args=[order.pk, reminder.pk, "pdf"])
    )
    notice_text = pdf_text(notice.content)
    assert "催办通知书" in notice_text
    assert order.number in notice_text
    assert "请于本周内反馈。" in notice_text
    notice_docx = client.get(
        reverse("supervision:reminder_document", args=[order.pk, reminder.pk, "docx"])
    )
    assert "催办通知书" in "\n".join(
        p.text for p in Document(io.BytesIO(notice_docx.content)).paragraphs
    )
    downloads = AuditEntry.objects.filter(action="documents.download")
    assert downloads.count() == 4
    assert {entry.summary["document"] for entry in downloads} == {"supervision", "reminder"}


def test_closure_report_flags_the_unanswered_and_exports(login, make_order, users) -> None:
    answered = make_order(title="已办结事项")
    supervision_feedback_submit(order=answered, by=users["handler_a"], text="已办结并整改。")
    supervision_order_accept(order=answered, by=users["xiaoneng"])
    silent = make_order(title="未反馈事项")
    today = timezone.localdate()
    query = {"start": (today - timedelta(days=1)).isoformat(), "end": today.isoformat()}
    client = login("leader")
    response = client.get(reverse("supervision:report"), query)
    rows = {row.order.pk: row for row in response.context["rows"]}
    assert rows[answered.pk].answered
    assert not rows[silent.pk].answered
    assert response.context["unanswered"] == 1
    assert 'data-flag="unanswered"' in response.content.decode()

    export_url = reverse("supervision:report_export") + "?" + urlencode(query)
    assert client.get(export_url).status_code == 200  # asks the reason first
    assert client.post(export_url, {"reason": ""}).status_code == 200  # refused, asked again
    assert not AuditEntry.objects.filter(action="supervision.report.export").exists()
    export = client.post(export_url, {"reason": "季度督办工作总结"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    table = list(sheet.iter_rows(values_only=True))
    assert "leader" in table[0][0]  # the watermark names the exporter
    by_number = {row[0]: row for row in table[2:]}
    assert set(by_number) == {answered.number, silent.number}
    assert by_number[silent.number][-1]
    assert not by_number[answered.number][-1]
    assert by_number[answered.number][11] == "已办结并整改。"
    entry = AuditEntry.objects.get(action="supervision.report.export")
    assert entry.summary["reason"] == "季度督办工作总结"
    assert entry.summary["rows"] == 2
    # Outside the period: nothing.
    old = {"start": "2020-01-01", "end": "2020-01-31"}
    assert client.get(reverse("supervision:report"), old).context["rows"] == []


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize(
    ("username", "name"),
    [
        ("xiaoneng", "supervision:order_list"),
        ("head", "supervision:order_list"),
        ("leader", "supervision:report"),
        ("xiaoneng", "supervision:callback_list"),
        ("inspector", "supervision:inspection_list"),
    ],
)
def test_lists_stay_within_budget_whatever_the_rows(
    login, make_order, make_replied_case, users, staff_of, username, name
) -> None:
    def add(n: int, offset: int) -> None:
        for i in range(n):
            order = make_order(title=f"督办事项{offset + i}")
            if i % 2:
                supervision_feedback_submit(order=order, by=users["handler_a"], text="已办")
            make_replied_case(phone=f"1370000{offset + i:04d}")
            inspection = inspection_create(
                by=users["inspector"],
                kind="open",
                date=timezone.localdate(),
                place=f"地点{offset + i}",
                unit=Unit.objects.get(code="school-1"),
                inspectors=[staff_of("inspector"), staff_of("xiaoneng")],
                summary="明察",
            )
            finding_add(
                inspection=inspection, by=users["inspector"], type="late", description="迟到"
            )

    add(2, 0)
    client = login(username)
    few = _count(client, reverse(name))
    add(8, 100)
    many = _count(client, reverse(name))
    assert many <= BUDGET, many
    assert many == few


# -- callbacks ------------------------------------------------------------------------------------


def test_callback_page_masks_reveals_and_records(client, login, replied_case) -> None:
    url = reverse("supervision:callback_page", args=[replied_case.pk])
    assert client.get(url).status_code == 302
    assert login("head").get(url).status_code == 403
    leader = login("leader").get(url)
    assert leader.status_code == 200
    assert not leader.context["may_record"]
    assert login("leader").post(url, {"outcome": "refused"}).status_code == 403

    client = login("xiaoneng")
    page = client.get(url)
    script = page.context["script"]
    assert "139****5678" in script
    assert "13912345678" not in script
    assert replied_case.number in script
    assert "招生入学" in script
    reveal = reverse("supervision:callback_reveal", args=[replied_case.pk])
    assert client.get(reveal).status_code == 405
    revealed = client.post(reveal, {"reason": "回访需拨打电话"})
    assert "13912345678" in revealed.context["script"]
    entry = AuditEntry.objects.get(action="case.reveal_requester")
    assert entry.summary["via"] == "callback"
    assert entry.summary["reason"] == "回访需拨打电话"

    assert client.post(url, {"outcome": "reached"}).status_code == 400  # rating missing
    response = client.post(
        url,
        {"outcome": "reached", "satisfaction": "unsatisfied", "resolved": "no", "notes": "未解决"},
    )
    assert response.status_code == 302
    replied_case.refresh_from_db()
    assert replied_case.state == State.REOPEN_REVIEW
    assert Callback.objects.get().satisfaction == "unsatisfied"


def test_callback_reveal_needs_the_permission_and_scope(client, login, make_replied_case) -> None:
    case = make_replied_case()
    reveal = reverse("supervision:callback_reveal", args=[case.pk])
    assert client.post(reveal, {"reason": "x"}).status_code == 302
    assert login("head").post(reveal, {"reason": "x"}).status_code == 403
    missing = reverse("supervision:callback_page", args=[999999])
    assert login("xiaoneng").get(missing).status_code == 404


def test_callback_policy_page_saves(login) -> None:
    client = login("xiaoneng")
    bureau = Unit.objects.get(code="bureau")
    url = reverse("supervision:callback_policies")
    assert client.post(url, {"unit": bureau.pk, "sample_percent": 20}).status_code == 302
    assert client.post(url, {"unit": bureau.pk, "sample_percent": 120}).status_code == 400
    rows = {row["unit"].pk: row["percent"] for row in client.get(url).context["units"]}
    assert rows[bureau.pk] == 20
    assert login("leader").post(url, {"unit": bureau.pk, "sample_percent": 5}).status_code == 403


# -- inspections ---------------------------------------------------------------------------------


def test_inspection_pages_flow(client, login, staff_of, inspection) -> None:
    detail = reverse("supervision:inspection_detail", args=[inspection.pk])
    assert client.get(detail).status_code == 302
    for username in ("inspector", "xiaoneng", "leader"):
        assert login(username).get(detail).status_code == 200
    assert login("head").get(detail).status_code == 403
    assert (
        login("xiaoneng")
        .post(reverse("supervision:finding_new", args=[inspection.pk]), {"type": "late"})
        .status_code
        == 403
    )

    client = login("inspector")
    findings = reverse("supervision:finding_new", args=[inspection.pk])
    assert client.post(findings, {"type": "late", "description": ""}).status_code == 400
    response = client.post(
        findings,
        {
            "type": "no_badge",
            "description": "未佩戴工作牌。",
            "staff": staff_of("school_handler").pk,
        },
    )
    assert response.status_code == 302
    finding = inspection.findings.get()
    evidence_url = reverse("supervision:evidence_new", args=[inspection.pk])
    assert client.post(evidence_url, {"file": pdf_file(), "finding": finding.pk}).status_code == 302
    bad = client.post(evidence_url, {"file": SimpleUploadedFile("x.pdf", b"GIF89a")})
    assert bad.status_code == 400
    evidence = inspection.evidence.get()
    download = reverse("supervision:evidence_download", args=[inspection.pk, evidence.pk])
    assert client.get(download).status_code == 200
    assert login("head").get(download).status_code == 403

    client = login("inspector")
    violation = reverse("supervision:finding_violation", args=[inspection.pk, finding.pk])
    assert client.post(violation).status_code == 302
    finding.refresh_from_db()
    assert finding.violation_id is not None
    assert login("leader").post(violation).status_code == 403


def test_inspection_new_page_records(login, staff_of) -> None:
    client = login("inspector")
    school = Unit.objects.get(code="school-1")
    response = client.post(
        reverse("supervision:inspection_new"),
        {
            "kind": "unannounced",
            "date": timezone.localdate().isoformat(),
            "place": "第一中学门卫室",
            "unit": school.pk,
            "inspectors": [staff_of("inspector").pk],
            "summary": "暗访门卫室值班情况。",
        },
    )
    assert response.status_code == 302
    future = client.post(
        reverse("supervision:inspection_new"),
        {
            "kind": "open",
            "date": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "place": "x",
            "unit": school.pk,
            "inspectors": [staff_of("inspector").pk],
            "summary": "x",
        },
    )
    assert future.status_code == 400


def test_order_page_explains_a_date_deadline(login, make_order, users) -> None:
    order = make_order(
        by=users["leader"], due_working_days=None, due_date=timezone.localdate() + timedelta(days=9)
    )
    response = login("xiaoneng").get(order.get_absolute_url())
    assert response.status_code == 200
    assert response.context["explanation"]
    assert response.context["may_remind"]
    assert not response.context["may_answer"]
    assert login("handler_a").get(order.get_absolute_url()).context["may_answer"]
