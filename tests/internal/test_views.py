"""The 内部事项 pages: who sees what (a school only its own 请示, another department nothing,
the three administrators nothing), registration with the instruction and its document, the
actions, the documents (批办单, 请示答复) and the list's query count."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from xiaoneng.internal.models import Matter
from xiaoneng.internal.services import matter_ask, matter_draft, matter_signoff

pytestmark = pytest.mark.django_db

ADMINS = ("sysadmin", "secadmin", "auditor")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def school_request(users, departments, monday) -> Matter:
    return matter_ask(
        by=users["school_handler"],
        title="关于开展研学活动的请示",
        body="拟组织初二年级赴市博物馆研学，请批示。",
        department=departments["basic"],
    )


def _total(response) -> int:
    text = response.content.decode()
    marker = 'data-testid="list-total" data-total="'
    return int(text.split(marker, 1)[1].split('"', 1)[0])


def test_a_school_sees_only_its_own_request(login, instruction, school_request) -> None:
    client = login("school_handler")
    response = client.get(reverse("internal:list"))
    assert response.status_code == 200
    assert _total(response) == 1
    assert school_request.title in response.content.decode()
    assert instruction.title not in response.content.decode()
    assert client.get(reverse("internal:detail", args=[school_request.pk])).status_code == 200
    assert client.get(reverse("internal:detail", args=[instruction.pk])).status_code == 404


def test_another_department_sees_nothing(login, instruction, school_request) -> None:
    client = login("personnel_head")
    assert _total(client.get(reverse("internal:list"))) == 0
    for matter in (instruction, school_request):
        assert client.get(reverse("internal:detail", args=[matter.pk])).status_code == 404
        assert (
            client.get(reverse("internal:document", args=[matter.pk, "slip", "pdf"])).status_code
            == 404
        )


def test_the_lead_department_the_office_and_the_leaders_see_it(
    login, instruction, school_request
) -> None:
    for username, expected in (
        ("head", 2),
        ("handler_a", 2),
        ("intake", 2),
        ("leader", 2),
        ("xiaoneng", 2),
        ("inspector", 0),
    ):
        assert _total(login(username).get(reverse("internal:list"))) == expected, username


@pytest.mark.parametrize("username", ADMINS)
def test_the_three_administrators_see_nothing(login, username, instruction) -> None:
    client = login(username)
    for url in (
        reverse("internal:list"),
        reverse("internal:detail", args=[instruction.pk]),
        reverse("internal:register"),
        reverse("internal:ask"),
        reverse("internal:policies"),
        reverse("internal:document", args=[instruction.pk, "slip", "pdf"]),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("internal:act", args=[instruction.pk, "sign"]))
    assert response.status_code == 403
    home = client.get(reverse("office:home")).content.decode()
    assert instruction.title not in home


def test_registration_with_the_instruction_and_document(login, departments, leader, monday) -> None:
    client = login("intake")
    response = client.post(
        reverse("internal:register"),
        {
            "kind": "instruction",
            "title": "关于加强学生防溺水工作的批示",
            "leader": leader.pk,
            "instruction": "请安全稳定科牵头，立即部署。",
            "instructed_on": "2026-01-05",
            "limit_workdays": "3",
            "lead_department": departments["safety"].pk,
            "attachment": SimpleUploadedFile("来文.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    matter = Matter.objects.get(title="关于加强学生防溺水工作的批示")
    assert matter.state == Matter.State.ROUTED
    assert matter.attachment_name == "来文.pdf"
    assert client.get(reverse("internal:attachment", args=[matter.pk])).status_code == 200
    page = client.get(reverse("internal:detail", args=[matter.pk])).content.decode()
    assert "请安全稳定科牵头" in page
    # Bad input: a message, nothing written.
    bad = client.post(reverse("internal:register"), {"kind": "instruction", "title": "缺批示"})
    assert bad.status_code == 400
    assert not Matter.objects.filter(title="缺批示").exists()
    # Only 办公室 registers.
    assert login("head").get(reverse("internal:register")).status_code == 403


def test_sign_for_through_the_page_and_the_routing_slip(login, instruction) -> None:
    client = login("handler_a")
    page = client.get(reverse("internal:detail", args=[instruction.pk])).content.decode()
    assert 'data-testid="action-sign"' in page
    response = client.post(reverse("internal:act", args=[instruction.pk, "sign"]))
    assert response.status_code == 302
    instruction.refresh_from_db()
    assert instruction.state == Matter.State.IN_PROGRESS
    docx = client.get(reverse("internal:document", args=[instruction.pk, "slip", "docx"]))
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "批办单" in text
    assert "〔2026〕1号" in text
    assert "基础教育科" in text
    pdf = client.get(reverse("internal:document", args=[instruction.pk, "slip", "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    # An action the person may not take: a message, no change.
    client.post(reverse("internal:act", args=[instruction.pk, "confirm"]))
    instruction.refresh_from_db()
    assert instruction.state == Matter.State.IN_PROGRESS


def test_the_reply_document_after_sign_off(login, users, school_request) -> None:
    matter_draft(by=users["handler_a"], matter=school_request, reply="同意组织研学。")
    matter_signoff(by=users["head"], matter=school_request, approve=True)
    client = login("school_handler")
    docx = client.get(reverse("internal:document", args=[school_request.pk, "reply", "docx"]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "请示答复" in text
    assert "同意组织研学" in text
    assert "示例市第一中学" in text
    client.post(reverse("internal:act", args=[school_request.pk, "confirm"]))
    school_request.refresh_from_db()
    assert school_request.state == Matter.State.DONE


def test_the_workbench_sections(login, instruction) -> None:
    page = login("handler_a").get(reverse("office:home")).content.decode()
    assert 'data-testid="group-internal-sign"' in page
    assert instruction.number in page


def test_the_published_limits(login, instruction) -> None:
    page = login("school_handler").get(reverse("internal:policies")).content.decode()
    assert "请示回复" in page
    assert "局领导批办件" in page


def test_policy_names_read_in_english_on_english_pages(login, instruction) -> None:
    client = login("handler_a")
    pages = [
        client.get(reverse("internal:policies"), HTTP_ACCEPT_LANGUAGE="en").content.decode(),
        client.get(instruction.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode(),
    ]
    assert "<h2>Reply to a request for instructions</h2>" in pages[0]
    assert "Leader&#x27;s instruction v1</a>" in pages[1]
    for page in pages:
        assert "局领导批办件</" not in page
        assert "请示回复</" not in page


def test_the_list_costs_a_fixed_number_of_queries(
    login, users, departments, leader, monday, django_assert_max_num_queries
) -> None:
    from xiaoneng.internal.services import matter_register

    for n in range(12):
        matter_register(
            by=users["intake"],
            kind="meeting",
            title=f"会议事项{n}",
            meeting_ref=f"局长办公会纪要〔2026〕{n}号",
            lead_department=departments["basic"],
        )
    client = login("head")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("internal:list"))
    assert _total(response) == 12
