"""Office and portal pages: permissions (allowed, forbidden, anonymous), agreement of the
dashboard, scorecard and bulletin, files opened, query counts, hotspots, the API."""

from __future__ import annotations

import io
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from docx import Document
from openpyxl import load_workbook

from tests.documents.pdftext import pdf_text
from xiaoneng.assessment.bulletins import (
    bulletin_approve,
    bulletin_create,
    bulletin_file,
    bulletin_publish,
)
from xiaoneng.assessment.hotspots import hotspots_detect
from xiaoneng.assessment.models import Bulletin, HotspotAlert
from xiaoneng.assessment.rollups import rollups_apply_all
from xiaoneng.audit.models import AuditEntry
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.models import Notification

pytestmark = pytest.mark.django_db


def period_query() -> dict[str, str]:
    today = timezone.localdate()
    return {"date_from": (today - timedelta(days=1)).isoformat(), "date_to": today.isoformat()}


@pytest.fixture
def figures(make_case, flow):
    """Three hotline cases (one late, rated basically satisfied) and one efficiency-office
    case answered on time and rated satisfied."""
    flow(make_case(), rating="satisfied")
    flow(make_case(), late_reply=True, rating="basically")
    flow(make_case(), until="sign")
    flow(make_case(channel="efficiency_office"), rating="satisfied")
    rollups_apply_all()


PAGES = [
    (
        "assessment:dashboard",
        {},
        {"leader", "xiaoneng", "head"},
        {"intake", "handler_a", "auditor"},
    ),
    ("assessment:dashboard_export", {}, {"leader", "xiaoneng", "head"}, {"intake", "auditor"}),
    ("assessment:scorecard", {}, {"leader", "xiaoneng"}, {"head", "intake", "auditor"}),
    ("assessment:hotspots", {}, {"leader", "xiaoneng"}, {"head", "intake"}),
    ("assessment:weights", {}, {"xiaoneng"}, {"leader", "head"}),
    ("assessment:bulletin_list", {}, {"leader", "xiaoneng"}, {"head", "intake"}),
]


@pytest.mark.parametrize(("name", "kwargs", "allowed", "forbidden"), PAGES)
def test_page_permissions(client, login, name, kwargs, allowed, forbidden) -> None:
    url = reverse(name, kwargs=kwargs)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for username in allowed:
        assert login(username).get(url).status_code == 200, username
    for username in forbidden:
        assert login(username).get(url).status_code == 403, username


def test_bulletin_pages_permissions(client, login, users) -> None:
    today = timezone.localdate()
    bulletin = bulletin_create(by=users["xiaoneng"], period_from=today, period_to=today)
    detail = reverse("assessment:bulletin_detail", args=[bulletin.pk])
    pdf = reverse("assessment:bulletin_file", args=[bulletin.pk, "pdf"])
    approve = reverse("assessment:bulletin_approve", args=[bulletin.pk])
    for url in (detail, pdf):
        client.logout()
        assert client.get(url).status_code == 302
        assert login("leader").get(url).status_code == 200
        assert login("head").get(url).status_code == 403
    assert login("xiaoneng").post(approve).status_code == 403  # only a leader approves
    assert login("leader").post(approve).status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.state == Bulletin.State.APPROVED
    public = reverse("bulletins:list")
    client.logout()
    assert bulletin.title not in client.get(public).content.decode()
    assert client.get(reverse("bulletins:file", args=[bulletin.pk])).status_code == 404
    login("xiaoneng").post(reverse("assessment:bulletin_publish", args=[bulletin.pk]))
    client.logout()
    assert bulletin.title in client.get(public).content.decode()
    response = client.get(reverse("bulletins:file", args=[bulletin.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_bulletin_workflow_refusals(users) -> None:
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        bulletin_create(by=users["leader"], period_from=today, period_to=today)
    with pytest.raises(DomainError):
        bulletin_create(by=users["xiaoneng"], period_from=today, period_to=today - timedelta(1))
    bulletin = bulletin_create(by=users["xiaoneng"], period_from=today, period_to=today)
    with pytest.raises(DomainError):
        bulletin_publish(bulletin=bulletin, by=users["xiaoneng"])  # not approved yet
    with pytest.raises(PermissionDenied):
        bulletin_approve(bulletin=bulletin, by=users["xiaoneng"])
    bulletin = bulletin_approve(bulletin=bulletin, by=users["leader"])
    assert bulletin.number.startswith("效通〔")
    again = bulletin_approve(bulletin=bulletin, by=users["leader"])
    assert again.number == bulletin.number


def test_dashboard_scorecard_and_bulletin_agree(figures, login, users) -> None:
    query = period_query()
    with override("en"):
        page = login("leader").get(reverse("assessment:dashboard"), query)
        text = page.content.decode()
    card = page.context["card"]
    assert card.figures.received == 4
    assert card.figures.replied == 3
    assert card.metrics.on_time_completion_rate == 66.7
    assert card.metrics.satisfaction_rate == 100.0
    assert "66.7%" in text
    assert "/office/cases/" in text or reverse("office:case_list") in text
    score = login("leader").get(reverse("assessment:scorecard"), query)
    speech = score.context["speech"]
    assert (speech.hotline.received, speech.hotline.handled) == (3, 2)
    assert (speech.efficiency_office.received, speech.efficiency_office.handled) == (1, 1)
    assert speech.on_time_share == card.metrics.on_time_completion_rate
    assert speech.satisfaction_rate == card.metrics.satisfaction_rate
    line = "".join(text or str(n) for text, n, _url in score.context["line"])
    assert "市长热线交办事项3件（办结2件）" in line
    assert "规定时限内办结率66.7%" in line
    today = timezone.localdate()
    bulletin = bulletin_create(
        by=users["xiaoneng"], period_from=today - timedelta(days=1), period_to=today
    )
    bulletin = bulletin_approve(bulletin=bulletin, by=users["leader"])
    assert bulletin.content["figures"]["received"] == 4
    docx_text = "\n".join(
        p.text
        for p in Document(io.BytesIO(bulletin_file(bulletin=bulletin, fmt="docx"))).paragraphs
    )
    pdf = pdf_text(bulletin_file(bulletin=bulletin, fmt="pdf"))
    for text_ in (docx_text, pdf.replace("\n", "")):
        assert line in text_
        assert "按时办结率66.7%" in text_
        assert bulletin.number in text_
    assert "13912" not in docx_text  # no requester phone


def test_department_head_sees_only_their_department(figures, login, finance) -> None:
    page = login("head").get(reverse("assessment:dashboard"), period_query())
    assert page.status_code == 200
    assert page.context["department"].code == "basic"
    assert "departments" not in page.context  # no bureau ranking for a head
    assert page.context["card"].figures.received == 4
    # Another department's figures are not reachable by a query parameter.
    page = login("head").get(reverse("assessment:dashboard"), {"unit": 999})
    assert page.context["department"].code == "basic"


def test_dashboard_query_count(figures, login, django_assert_max_num_queries) -> None:
    client = login("leader")
    # 30 for the case figures, then the internal matters' section, campus safety's and the
    # suggested lead department's (one query).
    with django_assert_max_num_queries(38):
        assert client.get(reverse("assessment:dashboard"), period_query()).status_code == 200


def test_excel_export(figures, login) -> None:
    client = login("leader")
    url = reverse("assessment:dashboard_export") + "?" + urlencode(period_query())
    assert client.get(url).status_code == 200  # asks the reason first
    response = client.post(url, {"reason": "月度效能通报"})
    book = load_workbook(io.BytesIO(response.content))
    summary = book.worksheets[0]
    assert "leader" in summary["A1"].value  # the watermark names the exporter
    headers = [c.value for c in summary[4]]
    values = [c.value for c in summary[5]]
    assert values[headers.index("received")] == 4
    assert [s.title for s in book.worksheets] == ["汇总", "科室", "单位", "涉及单位", "警示牌"]
    entry = AuditEntry.objects.get(action="assessment.export")
    assert entry.summary["reason"] == "月度效能通报"


def test_weights_form(login) -> None:
    client = login("xiaoneng")
    url = reverse("assessment:weights")
    bad = client.post(
        url, {"weight_response": 50, "weight_resolution": 50, "weight_satisfaction": 50}
    )
    assert bad.status_code == 200
    assert bad.context["form"].errors
    good = client.post(
        url, {"weight_response": 20, "weight_resolution": 40, "weight_satisfaction": 40}
    )
    assert good.status_code == 302
    from xiaoneng.assessment.selectors import weights

    assert weights() == (20, 40, 40)


def test_hotspot_created_once_and_office_notified(make_case, category) -> None:
    for _ in range(3):
        make_case()
    rollups_apply_all()
    created = hotspots_detect()
    assert len(created) == 1
    alert = HotspotAlert.objects.get()
    assert (alert.category_id, alert.count) == (category.pk, 3)
    assert Notification.objects.filter(kind="assessment.hotspot", channel="inbox").exists()
    make_case()
    rollups_apply_all()
    assert hotspots_detect() == []
    assert HotspotAlert.objects.count() == 1


def test_api_scorecard_scope(figures, users) -> None:
    from tests.api.conftest import Api
    from xiaoneng.api.services import apiclient_create, apikey_issue

    today = timezone.localdate()
    params = {"from": (today - timedelta(days=1)).isoformat(), "to": today.isoformat()}
    without = apiclient_create(name="无指标", scopes=["cases:read"], roles=["intake"], by=None)
    api = Api(apikey_issue(client=without, by=None).plaintext)
    assert api.get("/metrics/scorecard", **params).status_code == 403
    client = apiclient_create(name="大屏", scopes=["metrics:read"], roles=["intake"], by=None)
    api = Api(apikey_issue(client=client, by=None).plaintext)
    response = api.get("/metrics/scorecard", **params)
    assert response.status_code == 200
    body = response.json()
    assert body["figures"]["received"] == 4
    assert body["metrics"]["on_time_completion_rate"] == 66.7
    ranking = api.get("/metrics/ranking", **params, by="unit")
    assert ranking.status_code == 200
    assert ranking.json()[0]["rank"] == 1
    bad = api.get("/metrics/scorecard", **{"from": params["to"], "to": params["from"]})
    assert bad.status_code == 400
    assert Api().get("/metrics/scorecard", **params).status_code == 401


def test_list_pages_query_counts(users, login, django_assert_max_num_queries) -> None:
    today = timezone.localdate()
    for _ in range(3):
        bulletin_create(by=users["xiaoneng"], period_from=today, period_to=today)
    client = login("leader")
    for name in ("assessment:bulletin_list", "assessment:hotspots", "assessment:scorecard"):
        with django_assert_max_num_queries(20):
            assert client.get(reverse(name)).status_code == 200
    client.logout()
    with django_assert_max_num_queries(5):
        assert client.get(reverse("bulletins:list")).status_code == 200


def test_campaigns_and_study_feed_the_dashboard_and_the_bulletin(login, users) -> None:
    from xiaoneng.campaigns.assessment import campaigns_bulletin_line
    from xiaoneng.campaigns.demo import demo_campaigns_load

    demo_campaigns_load()
    page = login("leader").get(reverse("assessment:dashboard"), period_query())
    summary = page.context["campaigns_summary"]
    assert summary["participants"] > 0
    assert summary["missing_reflections"] > 0
    assert 'data-testid="campaigns-summary"' in page.content.decode()
    head_page = login("head").get(reverse("assessment:dashboard"), period_query())
    own = head_page.context["campaigns_summary"]
    assert 0 < own["participants"] <= summary["participants"]
    today = timezone.localdate()
    bulletin = bulletin_create(by=users["xiaoneng"], period_from=today, period_to=today)
    line = campaigns_bulletin_line()
    assert bulletin.content["programme"][1] == line
    assert bulletin.content["programme"][0].startswith(f"{today.year}年度")
    docx_text = "\n".join(
        p.text
        for p in Document(io.BytesIO(bulletin_file(bulletin=bulletin, fmt="docx"))).paragraphs
    )
    assert "七、目标任务与学习讨论" in docx_text
    assert line in docx_text


def test_targets_feed_the_dashboard_and_the_bulletin(login, users) -> None:
    from xiaoneng.targets.demo import demo_targets_load

    demo_targets_load()
    page = login("leader").get(reverse("assessment:dashboard"), period_query())
    summary = page.context["targets_summary"]
    assert summary["tasks"] == 8
    assert summary["lagging"] > 0
    assert 'data-testid="targets-summary"' in page.content.decode()
    assert (
        login("head")
        .get(reverse("assessment:dashboard"), period_query())
        .context["targets_summary"]["tasks"]
        == 4
    )
    today = timezone.localdate()
    bulletin = bulletin_create(by=users["xiaoneng"], period_from=today, period_to=today)
    assert bulletin.content["programme"][0].startswith(f"{today.year}年度目标任务8项")


def test_each_number_opens_exactly_the_cases_behind_it(figures, login) -> None:
    client = login("leader")
    page = client.get(reverse("assessment:dashboard"), period_query())
    card, links = page.context["card"], page.context["links"]

    def listed(url: str) -> int:
        response = client.get(url)
        assert response.status_code == 200
        return len(response.context["cases"])

    assert listed(links["received"]) == card.figures.received == 4
    assert listed(links["replied"]) == card.figures.replied == 3
    assert listed(links["rated"]) == card.figures.rated == 3
    assert listed(links["unsatisfied"]) == card.figures.unsatisfied == 0
    assert listed(links["returned"]) == card.figures.returned == 0
    text = page.content.decode()
    for key in ("replied", "rated", "returned", "reopened", "unsatisfied"):
        assert links[key].replace("&", "&amp;") in text, key
