"""The campaign pages: permissions for every view, forms through to the services, the Excel
export and the summary document opened, query budgets on the lists."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.documents.pdftext import pdf_text
from tests.factories import StaffFactory
from xiaoneng.audit.models import AuditEntry
from xiaoneng.campaigns.models import Campaign, Submission
from xiaoneng.campaigns.services import (
    campaign_open,
    submission_accept,
    submission_return,
    submission_select,
)

from .conftest import REFLECTION, requirement

pytestmark = pytest.mark.django_db
BUDGET = 12

PAGES = {
    "campaigns:campaign_list": (["xiaoneng", "leader", "handler_a", "auditor"], []),
    "campaigns:my_submissions": (["handler_a", "school_handler", "sysadmin"], []),
    "campaigns:my_record": (["handler_a", "intake", "school_head"], []),
    "campaigns:campaign_new": (["xiaoneng"], ["leader", "head", "handler_a"]),
    "campaigns:party_groups": (["xiaoneng"], ["leader", "head"]),
    "campaigns:session_list": (["xiaoneng", "leader", "head"], ["handler_a", "intake"]),
    "campaigns:session_new": (["xiaoneng", "head"], ["leader", "handler_a"]),
    "campaigns:hours": (["xiaoneng", "leader", "school_head"], ["handler_a", "auditor"]),
    "campaigns:hours_export": (["xiaoneng", "head"], ["handler_b", "inspector"]),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_permissions(client, login, demo_org, name) -> None:
    url = reverse(name)
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert reverse("office:login") in anonymous["Location"]
    allowed, forbidden = PAGES[name]
    for username in allowed:
        assert login(username).get(url).status_code == 200, username
    for username in forbidden:
        assert login(username).get(url).status_code == 403, username
    client.force_login(StaffFactory().user)  # a staff member without any role
    assert client.get(url).status_code == 403


def test_campaign_detail_scope(client, login, campaign, make_campaign) -> None:
    url = reverse("campaigns:campaign_detail", args=[campaign.pk])
    assert client.get(url).status_code == 302
    page = login("handler_a").get(url)
    assert page.status_code == 200
    assert 'data-testid="departments"' not in page.content.decode()  # no completion for her
    assert login("intake").get(url).status_code == 404  # not a participant
    office = login("xiaoneng").get(url)
    assert office.status_code == 200
    assert 'data-testid="missing"' in office.content.decode()
    draft = make_campaign(title="草稿")
    assert (
        login("handler_a").get(reverse("campaigns:campaign_detail", args=[draft.pk])).status_code
        == 404
    )


def test_create_open_and_close_through_the_pages(client, login, efficiency, group) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    form = {
        "title": "作风建设大讨论",
        "description": "",
        "start": today.isoformat(),
        "end": (today + timezone.timedelta(days=30)).isoformat(),
        "organiser": efficiency.pk,
        "party_groups": [group.pk],
        "remind_days": 2,
    }
    for kind, count in (("notes", 2), ("reflection", 1), ("proposal", 0)):
        form |= {
            f"{kind}_count": count,
            f"{kind}_length": 10,
            f"{kind}_deadline": (today + timezone.timedelta(days=20)).isoformat(),
        }
    assert login("head").post(reverse("campaigns:campaign_new"), form).status_code == 403
    bad = login("xiaoneng").post(reverse("campaigns:campaign_new"), form | {"party_groups": []})
    assert bad.status_code == 400
    response = client.post(reverse("campaigns:campaign_new"), form)
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("campaigns:campaign_detail", args=[campaign.pk])
    assert campaign.requirements.count() == 3
    open_url = reverse("campaigns:campaign_open", args=[campaign.pk])
    assert login("leader").post(open_url).status_code == 403
    login("xiaoneng").post(open_url)
    campaign.refresh_from_db()
    assert campaign.state == "open"
    assert campaign.participants.count() == 3
    client.post(open_url)  # again: refused with a message, nothing changes
    assert campaign.participants.count() == 3
    client.post(reverse("campaigns:campaign_close", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.state == "closed"


def test_submit_through_the_form(client, login, campaign) -> None:
    url = reverse("campaigns:submission_new", args=[campaign.pk])
    reflection = requirement(campaign, "reflection")
    login("handler_a")
    assert client.get(url).status_code == 200
    short = client.post(url, {"requirement": reflection.pk, "title": "心得", "text": "太短"})
    assert short.status_code == 400
    assert "至少" in short.content.decode() or "at least" in short.content.decode()
    assert not Submission.objects.exists()
    done = client.post(url, {"requirement": reflection.pk, "title": "心得", "text": REFLECTION})
    assert done["Location"] == reverse("campaigns:my_submissions")
    mine = client.get(reverse("campaigns:my_submissions")).content.decode()
    assert "心得" in mine
    assert login("intake").post(url, {"requirement": reflection.pk}).status_code == 404


def test_review_rework_and_select_through_the_pages(client, login, campaign, submit) -> None:
    submission = submit(campaign, "handler_a", "reflection")
    detail = reverse("campaigns:submission_detail", args=[submission.pk])
    review = reverse("campaigns:submission_review", args=[submission.pk])
    assert login("handler_b").get(detail).status_code == 404  # another participant
    assert login("handler_a").post(review, {"decision": "accept"}).status_code == 403
    assert login("head").post(review, {"decision": "accept"}).status_code == 404
    login("xiaoneng")
    assert client.get(detail).status_code == 200
    assert client.post(review, {"decision": "return", "reason": ""}).status_code == 400
    client.post(review, {"decision": "return", "reason": "请结合工作实际"})
    submission.refresh_from_db()
    assert submission.state == "returned"
    page = login("handler_a").get(detail).content.decode()
    assert "请结合工作实际" in page
    client.post(
        reverse("campaigns:submission_resubmit", args=[submission.pk]),
        {"title": "修改稿", "text": REFLECTION + "补充。"},
    )
    submission.refresh_from_db()
    assert submission.state == "resubmitted"
    login("xiaoneng").post(review, {"decision": "accept"})
    client.post(reverse("campaigns:submission_select", args=[submission.pk]), {"selected": "1"})
    submission.refresh_from_db()
    assert (submission.state, submission.selected) == ("accepted", True)
    queue = client.get(reverse("campaigns:review_list", args=[campaign.pk]) + "?state=accepted")
    assert "修改稿" in queue.content.decode()
    assert (
        login("head").get(reverse("campaigns:review_list", args=[campaign.pk])).status_code == 403
    )


def test_submission_file_download(client, login, campaign, submit) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import PDF

    submission = submit(
        campaign, "handler_a", "notes", file=SimpleUploadedFile("a.pdf", PDF, "application/pdf")
    )
    url = reverse("campaigns:submission_file", args=[submission.pk])
    response = login("handler_a").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert login("school_handler").get(url).status_code == 404


def test_completion_export_opened(client, login, campaign, submit, users) -> None:
    submission_accept(by=users["xiaoneng"], submission=submit(campaign, "handler_a", "notes"))
    url = reverse("campaigns:campaign_export", args=[campaign.pk])
    assert login("handler_a").get(url).status_code == 403
    assert login("head").get(url).status_code == 404  # a head, but not of the organiser
    login("xiaoneng")
    assert client.get(url).status_code == 200  # the reason form
    response = client.post(url, {"reason": "核对完成情况"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    people = {row[2]: row for row in rows[2:]}
    assert len(people) == 6
    li_na = people[users["handler_a"].full_name]
    assert li_na[3:6] == (2, 1, 1)  # notes: required, handed in, accepted
    assert AuditEntry.objects.filter(action__startswith="campaigns.completion").exists()


def test_summary_document_opened(client, login, campaign, submit, users) -> None:
    office = users["xiaoneng"]
    best = submit(campaign, "handler_a", "reflection", title="以群众满意为标尺")
    submission_accept(by=office, submission=best)
    submission_select(by=office, submission=best)
    other = submit(campaign, "school_handler", "reflection", title="未入选")
    submission_accept(by=office, submission=other)
    returned = submit(campaign, "handler_b", "reflection")
    submission_return(by=office, submission=returned, reason="重写")
    url = reverse("campaigns:campaign_summary", args=[campaign.pk, "docx"])
    assert login("handler_a").get(url).status_code == 403
    login("xiaoneng")
    docx = client.get(url)
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "效能革命大讨论" in text
    assert "参加活动6人" in text
    assert "基础教育科：参加3人，完成0人，完成率0%" in text
    assert "以群众满意为标尺" in text
    assert REFLECTION in text
    assert "未入选" not in text
    assert users["handler_b"].full_name in text  # missing their reflection
    pdf = client.get(reverse("campaigns:campaign_summary", args=[campaign.pk, "pdf"]))
    content = pdf_text(pdf.content)
    assert "以群众满意为标尺" in content
    assert "第一中学校长办公室：参加3人" in content
    assert (
        client.get(reverse("campaigns:campaign_summary", args=[campaign.pk, "odt"])).status_code
        == 404
    )


def test_list_query_budgets(
    client, login, campaign, make_campaign, submit, users, django_assert_max_num_queries
) -> None:
    for number in range(3):
        campaign_open(campaign=make_campaign(title=f"讨论{number}"), by=users["xiaoneng"])
        submit(campaign, "handler_a", "notes", title=f"笔记{number}")
    pages = [
        ("xiaoneng", reverse("campaigns:campaign_list")),
        ("handler_a", reverse("campaigns:campaign_list")),
        ("handler_a", reverse("campaigns:my_submissions")),
        ("xiaoneng", reverse("campaigns:review_list", args=[campaign.pk])),
        ("xiaoneng", reverse("campaigns:campaign_detail", args=[campaign.pk])),
    ]
    for username, url in pages:
        login(username)
        with django_assert_max_num_queries(BUDGET):
            assert client.get(url).status_code == 200


OBJECT_ROUTES = [
    ("campaigns:campaign_detail", "campaign"),
    ("campaigns:campaign_open", "campaign"),
    ("campaigns:campaign_close", "campaign"),
    ("campaigns:campaign_export", "campaign"),
    ("campaigns:submission_new", "campaign"),
    ("campaigns:review_list", "campaign"),
    ("campaigns:submission_detail", "submission"),
    ("campaigns:submission_resubmit", "submission"),
    ("campaigns:submission_review", "submission"),
    ("campaigns:submission_select", "submission"),
    ("campaigns:submission_file", "submission"),
]


@pytest.mark.parametrize(("name", "obj"), OBJECT_ROUTES)
def test_object_pages_send_anonymous_people_to_login(client, campaign, submit, name, obj) -> None:
    target = campaign if obj == "campaign" else submit(campaign, "handler_a", "notes")
    for method in (client.get, client.post):
        response = method(reverse(name, args=[target.pk]))
        assert response.status_code == 302
        assert reverse("office:login") in response["Location"]


def test_summary_and_person_record_send_anonymous_people_to_login(client, campaign, staff_of):
    for url in (
        reverse("campaigns:campaign_summary", args=[campaign.pk, "pdf"]),
        reverse("campaigns:person_record", args=[staff_of("head").pk]),
    ):
        assert client.get(url).status_code == 302


def test_open_and_close_are_refused_to_other_roles(client, login, campaign) -> None:
    for username in ("leader", "head", "handler_a"):
        login(username)
        assert (
            client.post(reverse("campaigns:campaign_close", args=[campaign.pk])).status_code == 403
        )
    campaign.refresh_from_db()
    assert campaign.state == "open"
