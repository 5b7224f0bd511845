"""Every public page renders for an anonymous visitor, on the demo data, with its figures."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from xiaoneng.assessment.rollups import rollups_apply_all
from xiaoneng.cases import clocks
from xiaoneng.cases.models import Case
from xiaoneng.cases.services import case_rate
from xiaoneng.cases.services.public import public_submit
from xiaoneng.portal.figures import monthly_figures
from xiaoneng.portal.selectors import published_cases

from .conftest import staff_reply
from .test_journey import submit

pytestmark = pytest.mark.django_db

PAGES = ["portal:home", "portal:submit", "portal:track", "portal:results", "portal:figures"]


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_for_an_anonymous_visitor(client, demo_org, name) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", html)  # only the web kit's own helpers, no inline
    assert all(re.search(r'src="/static/web/(forms|regions)\.js"', tag) for tag in scripts), scripts
    assert "http://" not in html.replace("http://www.w3.org", "")  # no CDN, no outside assets
    assert "0000-12388" in html  # the supervision phone on every page


@pytest.mark.parametrize("name", PAGES)
def test_the_bureau_is_named_in_the_readers_language(client, demo_org, name) -> None:
    """The header, title and supervising body name the bureau in Chinese, or in English on
    English pages (its English name), never the Chinese name on an English page."""
    chinese = client.get(reverse(name)).content.decode()
    assert "示例市教育局" in chinese
    assert "Example City Education Bureau" not in chinese
    client.cookies["django_language"] = "en"
    english = client.get(reverse(name)).content.decode()
    assert "Example City Education Bureau" in english
    assert "示例市教育局" not in english


def test_home_names_the_hotline_and_what_one_can_do(client, demo_org) -> None:
    html = client.get(reverse("portal:home")).content.decode()
    assert "0000-12345" in html
    for name in ("portal:submit", "portal:track", "portal:results", "portal:figures"):
        assert reverse(name) in html


def test_track_detail_without_a_tracked_case_sends_to_the_form(client, demo_org) -> None:
    response = client.get(reverse("portal:track_detail"))
    assert response.status_code == 302


def _closed_case(client, users, category, basic, **overrides) -> Case:
    code, _secret = submit(client, category, **overrides)
    case = staff_reply(Case.objects.get(tracking_code=code), users, basic, text="已退还费用。")
    return case_rate(case=case, satisfaction="satisfied", resolved=True)


def test_results_board_shows_consented_closed_cases_only(client, users, category, basic) -> None:
    shown = _closed_case(client, users, category, basic, title="择校费问题")
    _closed_case(client, users, category, basic, title="不同意公开", consent_publish=None)
    html = client.get(reverse("portal:results")).content.decode()
    assert shown.number in html
    assert "择校费问题" in html
    assert "不同意公开" not in html
    assert "陈静" in html  # 责任人
    assert "李娜" in html  # 经办人
    assert "0000-12388" in html
    assert list(published_cases()) == [shown]


def test_results_board_leaves_out_anonymous_reports(client, users, category, basic) -> None:
    case = _closed_case(
        client,
        users,
        category,
        basic,
        kind="report",
        is_anonymous="on",
        requester_name="",
        requester_phone="",
    )
    assert case.consent_publish
    assert case.is_anonymous
    assert case.number not in client.get(reverse("portal:results")).content.decode()


def test_figures_count_received_on_time_and_satisfaction(client, users, category, basic) -> None:
    _closed_case(client, users, category, basic)  # this month: on time, satisfied
    with time_machine.travel(timezone.now() - timedelta(days=70)):
        late = public_submit(
            kind="complaint",
            category=category,
            content="迟迟没有答复的投诉。",
            requester_name="某家长",
            requester_phone="13900000000",
        ).case
        due = clocks.current(case=late, stage=clocks.REPLY).due_at
    with time_machine.travel(due + timedelta(days=1)):
        late = staff_reply(late, users, basic)
        case_rate(case=late, satisfaction="unsatisfied", resolved=False)
    rollups_apply_all()
    today = timezone.localdate()
    months = {(today.year, today.month)}
    for back in range(1, 4):
        day = today.replace(day=1) - timedelta(days=28 * back)
        months.add((day.year, day.month))
    reports = [monthly_figures(month=f"{y}-{m:02d}") for y, m in sorted(months)]
    counted = ("received", "replied", "replied_on_time", "rated", "satisfied", "unsatisfied")
    total = [sum(getattr(r.card.figures, f) for r in reports) for f in counted]
    assert total == [2, 2, 1, 2, 1, 1]
    this_month = monthly_figures()
    assert this_month.card.metrics.on_time_completion_rate == 100.0
    assert this_month.card.metrics.satisfaction_rate == 100.0
    assert [unit.short_name or unit.name for unit, _row in this_month.rows] == ["市教育局"]


def test_figures_page_draws_tables_and_svg_charts(client, users, category, basic) -> None:
    _closed_case(client, users, category, basic)
    rollups_apply_all()
    html = client.get(reverse("portal:figures")).content.decode()
    assert html.count("<svg") == 3
    assert "<rect" in html
    assert 'data-testid="figures-table"' in html
    assert "100.0%" in html


def test_figures_ignore_a_bad_month(client, demo_org) -> None:
    assert client.get(reverse("portal:figures"), {"month": "2999-13"}).status_code == 200
    assert client.get(reverse("portal:figures"), {"month": "<b>"}).status_code == 200


NAV_CURRENT = re.compile(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>')


def test_the_navigation_marks_the_page_in_the_readers_language(client, demo_org) -> None:
    """The main navigation is rendered once per language and page and kept (portal_tags): each
    page still marks itself, in the reader's language, however often the pages alternate."""
    for _round in range(2):
        for language, labels in (("zh-hans", ("首页", "进度查询")), ("en", ("Home", "Track"))):
            client.cookies["django_language"] = language
            for name, label in zip(("portal:home", "portal:track"), labels, strict=True):
                html = client.get(reverse(name)).content.decode()
                assert NAV_CURRENT.findall(html) == [(reverse(name), label)]
