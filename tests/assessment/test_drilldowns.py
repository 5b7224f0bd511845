"""Every number on the dashboards opens exactly the records it counts.

Walks every link marked ``data-count`` on the dashboards, rankings, scorecard and hotspot pages
of each role over a demo history, follows it, and compares the number with the total the list
states. No particular number is assumed.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.demo_snapshot import load_demo_history
from xiaoneng.assessment.bulletins import bulletin_create
from xiaoneng.assessment.hotspots import hotspots_detect
from xiaoneng.assessment.rollups import rollups_apply_all
from xiaoneng.cases.models import Case
from xiaoneng.cases.services import case_reopen, case_reply
from xiaoneng.org.models import Unit, User
from xiaoneng.targets.services import target_create, task_create

from .test_rollups import crafted  # noqa: F401 - the fixture, used by name

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="([^"]+)" data-count="(\d+)">')
TOTAL = re.compile(r'data-testid="list-total" data-total="(\d+)"')
TASKS_TOTAL = re.compile(r'data-testid="tasks-total" data-total="(\d+)"')


def _walk(client: Client, url: str, params: dict, totals: dict[str, int] | None = None) -> int:
    """Follow every counted link of the page; ``totals`` remembers the lists already opened
    (one list is linked from many places), so each is requested once per test."""
    totals = {} if totals is None else totals
    response = client.get(url, params)
    assert response.status_code == 200
    links = LINK.findall(response.content.decode())
    for href, number in links:
        if href not in totals:
            listed = client.get(unescape(href))
            assert listed.status_code == 200, href
            total = TOTAL.search(listed.content.decode())
            assert total, f"{href} states no total"
            totals[href] = int(total[1])
        assert totals[href] == int(number), f"{href}: the page says {number}"
    return len(links)


@pytest.fixture
def history(demo_org) -> None:
    load_demo_history(cases=36, days=70, seed=23)
    rollups_apply_all()
    hotspots_detect()


@pytest.mark.parametrize("username", ["xiaoneng", "leader", "head", "school_head"])
def test_every_dashboard_number_opens_its_records(history, username) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    first = Case.objects.order_by("registered_at").first().registered_at
    today = timezone.localdate()
    periods = [
        {"date_from": timezone.localtime(first).date(), "date_to": today},
        {"date_from": today.replace(day=1), "date_to": today},
        {"date_from": today - timedelta(days=40), "date_to": today - timedelta(days=10)},
    ]
    walked, totals = 0, {}
    for period in periods:
        walked += _walk(client, reverse("assessment:dashboard"), period, totals)
        if username in {"xiaoneng", "leader"}:
            walked += _walk(client, reverse("assessment:dashboard"), {**period, "unit": 1}, totals)
            walked += _walk(client, reverse("assessment:scorecard"), period, totals)
    if username in {"xiaoneng", "leader"}:
        walked += _walk(client, reverse("assessment:hotspots"), {}, totals)
    assert walked > 10


@pytest.mark.usefixtures("crafted")
@pytest.mark.parametrize("username", ["xiaoneng", "head"])
def test_crafted_numbers_open_their_records(username) -> None:
    """Six known cases: a reopening, a late sign-for, a return against the first department
    and a redispatch to another, a repeat, a close without rating."""
    rollups_apply_all()
    client = Client()
    client.force_login(User.objects.get(username=username))
    today = timezone.localdate()
    period = {"date_from": today - timedelta(days=1), "date_to": today + timedelta(days=1)}
    assert _walk(client, reverse("assessment:dashboard"), period) >= 15
    if username == "xiaoneng":
        bulletin = bulletin_create(
            by=User.objects.get(username=username),
            period_from=period["date_from"],
            period_to=period["date_to"],
        )
        detail = reverse("assessment:bulletin_detail", args=[bulletin.pk])
        # The counts section, then the text: the cases' 13 and the internal matters' 6.
        assert _walk(client, detail, {}) == 14 + 13 + 6


def test_a_case_counted_twice_is_listed_once_and_counted_twice(
    users, make_case, flow, basic
) -> None:
    case = flow(make_case(), rating="unsatisfied", resolved=False)
    case_reopen(case=case, by=users["xiaoneng"], note="重新核查")
    case_reply(case=Case.objects.get(pk=case.pk), by=users["head"], text="再次答复。")
    rollups_apply_all()
    client = Client()
    client.force_login(users["xiaoneng"])
    today = timezone.localdate()
    response = client.get(
        reverse("office:case_list"),
        {"counted": "replied", "date_from": today, "date_to": today},
    )
    html = response.content.decode()
    assert TOTAL.search(html)[1] == "2"
    assert html.count(case.number) == 1


def test_the_counted_filter_keeps_to_what_the_reader_may_see(users, make_case, flow, basic) -> None:
    flow(make_case(), rating="satisfied")
    rollups_apply_all()
    client = Client()
    client.force_login(users["school_handler"])
    response = client.get(reverse("office:case_list"), {"counted": "received"})
    assert TOTAL.search(response.content.decode())[1] == "0"


@pytest.mark.usefixtures("crafted")
def test_a_heads_hidden_records_follow_the_other_filters(users, basic) -> None:
    """The return against basic is on a case now with finance: the head cannot open it, the
    list still counts it, and only where the list's other filters would keep it."""
    rollups_apply_all()
    client = Client()
    client.force_login(users["head"])
    today = timezone.localdate()
    query = {"counted": "returned", "department": basic.pk, "date_from": today, "date_to": today}
    html = client.get(reverse("office:case_list"), query).content.decode()
    assert TOTAL.search(html)[1] == "1"
    assert "您无权打开" in html
    other = client.get(reverse("office:case_list"), {**query, "channel": "efficiency_office"})
    assert TOTAL.search(other.content.decode())[1] == "0"


def test_every_number_in_a_bulletins_text_opens_its_records(history, users, make_case) -> None:
    """The sentences of a draft bulletin link each count to exactly its cases: the speech's
    referrals, the totals, each unit, unit concerned (with its complaints, repeats and
    categories), department, the cards and each hotspot."""
    for _ in range(3):  # three complaints in a week in one category: a hotspot
        make_case()
    target = target_create(
        by=users["xiaoneng"], year=timezone.localdate().year, source="bureau", title="减负提质"
    )
    bureau = Unit.objects.get(code="bureau")
    for title in ("作业管理", "课后服务"):
        task_create(by=users["xiaoneng"], target=target, title=title, unit=bureau)
    rollups_apply_all()
    hotspots_detect()
    first = Case.objects.order_by("registered_at").first().registered_at
    bulletin = bulletin_create(
        by=users["xiaoneng"],
        period_from=timezone.localtime(first).date(),
        period_to=timezone.localdate(),
    )
    content = bulletin.content
    expected = 4 + 4 + 2 + len(content["units"]) + len(content["departments"]) + 3
    expected += len(content["hotspots"])
    # Internal matters: six counts in all, two more for each department that has any.
    expected += 6 + 2 * len(content["internal"]["departments"])
    for school in content["schools"]:
        expected += 3 + len([c for c in school["categories"] if c[2]])
    client = Client()
    client.force_login(users["xiaoneng"])
    html = client.get(reverse("assessment:bulletin_detail", args=[bulletin.pk])).content.decode()
    text = html[html.index('data-testid="bulletin-text"') :]
    linked = LINK.findall(text)
    assert len(linked) == expected
    assert content["hotspots"]
    assert content["schools"]
    assert content["targets"]["tasks"] == 2
    for href, number in linked:
        listed = client.get(unescape(href)).content.decode()
        total = TOTAL.search(listed) or TASKS_TOTAL.search(listed)
        assert total, f"{href} states no total"
        assert int(total[1]) == int(number), href


def test_a_bulletin_frozen_without_ids_prints_its_numbers_unlinked(users, make_case) -> None:
    """Bulletins frozen before the content carried ids still show every number, unlinked
    where the id is missing, linked where the filters alone say what to list."""
    make_case()
    rollups_apply_all()
    today = timezone.localdate()
    bulletin = bulletin_create(by=users["xiaoneng"], period_from=today, period_to=today)
    content = bulletin.content
    assert content["units"]
    assert content["units"][0]["received"] == 1
    content["units"] = [{k: v for k, v in row.items() if k != "id"} for row in content["units"]]
    bulletin.content = content
    bulletin.save(update_fields=["content"])
    client = Client()
    client.force_login(users["xiaoneng"])
    response = client.get(reverse("assessment:bulletin_detail", args=[bulletin.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    text = html[html.index('data-testid="bulletin-text"') :]
    linked = 4 + 4 + 2 + len(content["departments"])
    linked += sum(3 + len([c for c in r["categories"] if c[2]]) for r in content["schools"])
    linked += 6 + 2 * len(content["internal"]["departments"])  # internal matters
    assert len(LINK.findall(text)) == linked
    assert f"{content['units'][0]['name']}：综合得分" in text
    assert "，受理1件，" in text
