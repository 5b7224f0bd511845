"""The leader's cockpit (驾驶舱): its figures are the dashboard's, each number opens a list of
exactly that many records, it costs the same queries whatever the data, and only leaders open
it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.demo_snapshot import load_demo_history
from xiaoneng.assessment.hotspots import hotspots_detect
from xiaoneng.assessment.rollups import rollups_apply_all
from xiaoneng.assessment.selectors import month_period
from xiaoneng.cases.services import case_dispatch
from xiaoneng.cases.sweeps import sweep
from xiaoneng.emergencies.services.incidents import incident_report
from xiaoneng.org.models import Department
from xiaoneng.supervision.services import supervision_order_create
from xiaoneng.supervision.sweeps import supervision_sweep
from xiaoneng.workdays.models import Clock, ClockCheck

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a (?:class="[^"]*" )?href="([^"]+)" data-count="(\d+)"')
TOTAL = re.compile(r'data-testid="list-total" data-total="(\d+)"')
ORDER_ROW = re.compile(r'<td><a href="/office/supervision/\d+/">')
INCIDENT_ROW = re.compile(r'<td><a href="/office/emergencies/\d+/">')


def _orders(users, basic, n: int, *, overdue: bool) -> None:
    for i in range(n):
        supervision_order_create(
            by=users["xiaoneng"],
            title=f"整改落实{i}",
            description="请于期限内核查整改并书面反馈。",
            kind="rectification",
            unit=basic.unit,
            department=basic,
            due_working_days=1,
        )
    if overdue:
        supervision_sweep(now=timezone.now() + timedelta(days=30))


def _incident(users, title: str):
    now = timezone.now()
    return incident_report(
        by=users["school_handler"],
        type="food_safety",
        grade="3",
        title=title,
        occurred_at=now - timedelta(minutes=30),
        discovered_at=now - timedelta(minutes=10),
        place="学校食堂",
        what_happened="午餐后多名学生腹痛，已送医。",
        contact_phone="13800000000",
    )


def _late_case(make_case, users, basic) -> None:
    """A dispatched case past its sign-for deadline: the sweep raises a card this week."""
    case = case_dispatch(case=make_case(), by=users["intake"], lead=basic)
    clock = Clock.objects.get(
        owner_type="cases.case", owner_id=case.pk, stage="sign_for", state="running"
    )
    Clock.objects.filter(pk=clock.pk).update(
        # The sweep computes the thresholds from the start, so the clock starts ten days ago.
        started_at=timezone.now() - timedelta(days=10),
        due_at=timezone.now() - timedelta(days=9),
    )
    ClockCheck.objects.update_or_create(
        clock=clock, defaults={"owner_type": clock.owner_type, "next_check_at": timezone.now()}
    )
    sweep()


@pytest.fixture(autouse=True)
def _midweek():
    """A fixed Wednesday morning: the late case's card falls in "this week" whatever the day the
    suite runs (on a Monday just after midnight the week had no room for it)."""
    with time_machine.travel(
        datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        yield


@pytest.fixture
def history(demo_org, users, make_case) -> None:
    basic = Department.objects.get(unit__code="bureau", code="basic")
    load_demo_history(cases=36, days=70, seed=23)
    for _ in range(3):  # three complaints in a week in one category: a hotspot
        make_case()
    _late_case(make_case, users, basic)
    _orders(users, basic, 2, overdue=True)
    _orders(users, basic, 1, overdue=False)
    _incident(users, "午餐后多名学生腹痛呕吐")
    rollups_apply_all()
    hotspots_detect()


def _leader(users) -> Client:
    client = Client()
    client.force_login(users["leader"])
    return client


def _kpi(html: str, code: str) -> str:
    start = html.index(f'data-testid="kpi-{code}"')
    return html[start : html.index("</li>", start)]


def _value(fragment: str) -> str:
    return re.search(r'class="kpi-value" data-value="([^"]*)"', fragment)[1]


def test_the_cockpit_figures_are_the_dashboards(history, users) -> None:
    client = _leader(users)
    html = client.get(reverse("office:cockpit")).content.decode()
    today = timezone.localdate()
    month = month_period(today.year, today.month)
    dashboard = client.get(
        reverse("assessment:dashboard"),
        {"date_from": month.start.isoformat(), "date_to": month.end.isoformat()},
    ).content.decode()

    def dash(testid: str) -> str:
        start = dashboard.index(f'data-testid="{testid}"')
        return dashboard[start : dashboard.index("</dd>", start)]

    received = re.search(r'data-count="(\d+)"', dash("kpi-received"))[1]
    assert _value(_kpi(html, "received")) == received
    assert int(received) > 0
    overdue = re.search(r'data-count="(\d+)"', dash("kpi-overdue"))[1]
    assert _value(_kpi(html, "overdue")) == overdue
    for code, testid in (
        ("sign-for", "kpi-sign-for"),
        ("completion", "kpi-completion"),
        ("satisfaction", "kpi-satisfaction"),
    ):
        rate = re.match(r'data-testid="[^"]+">([^\s<]+)', dash(testid))[1]
        value = _value(_kpi(html, code))
        assert (f"{value}%" if value else "—") == rate, code
        # The rate's parts are the dashboard's, with the same links.
        parts = LINK.findall(_kpi(html, code))
        assert all(part in LINK.findall(dash(testid)) for part in parts), code
    composite = re.search(r'data-testid="kpi-composite">([^<]+)<', dashboard)[1].strip()
    assert (_value(_kpi(html, "composite")) or "—") == composite
    # The cards of this week, as the dashboard counts them for the same days.
    week_start = today - timedelta(days=today.weekday())
    week = client.get(
        reverse("assessment:dashboard"),
        {"date_from": week_start.isoformat(), "date_to": today.isoformat()},
    ).content.decode()
    cards = week[week.index('data-testid="cards"') :]
    yellow, red = re.findall(r'data-count="(\d+)"', cards)[:2]
    assert f'data-testid="cards-red">{red}<' in html
    assert f'data-testid="cards-yellow">{yellow}<' in html
    assert int(yellow) + int(red) > 0


def test_every_cockpit_number_opens_a_list_of_that_size(history, users) -> None:
    client = _leader(users)
    html = client.get(reverse("office:cockpit")).content.decode()
    links = LINK.findall(html)
    kinds = set()
    for href, number in links:
        href = unescape(href)
        listed = client.get(href)
        assert listed.status_code == 200, href
        page = listed.content.decode()
        if "/supervision/" in href:
            kinds.add("orders")
            table = page[page.index('data-testid="orders"') :]
            assert len(ORDER_ROW.findall(table)) == int(number), href
        elif "/emergencies/" in href:
            kinds.add("incidents")
            table = page[page.index('data-testid="incident-board"') :]
            assert len(INCIDENT_ROW.findall(table)) == int(number), href
        else:
            kinds.add("cases")
            total = TOTAL.search(page)
            assert total, f"{href} states no total"
            assert int(total[1]) == int(number), f"{href}: the cockpit says {number}"
    assert kinds == {"orders", "incidents", "cases"}
    assert 'data-testid="orders-count">2<' in html
    assert 'data-testid="incidents-count">1<' in html
    hotspots = html[html.index('data-testid="cockpit-hotspots"') :]
    assert LINK.search(hotspots), "the hotspot is listed with its count"


def test_the_cockpit_costs_the_same_queries_whatever_the_data(
    demo_org, users, make_case, basic
) -> None:
    client = _leader(users)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("office:cockpit")).status_code == 200
        return len(queries.captured_queries)

    _orders(users, basic, 1, overdue=True)
    _incident(users, "一")
    rollups_apply_all()
    few = count()
    _orders(users, basic, 4, overdue=True)
    for n in range(3):
        _incident(users, f"事件{n}")
    for _ in range(3):
        _late_case(make_case, users, basic)
    rollups_apply_all()
    many = count()
    assert many == few
    assert many <= 30, many


@pytest.mark.parametrize(
    "username", ["xiaoneng", "head", "handler_a", "intake", "inspector", "auditor", "sysadmin"]
)
def test_only_leaders_open_the_cockpit(demo_org, login, username) -> None:
    assert login(username).get(reverse("office:cockpit")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(demo_org) -> None:
    response = Client().get(reverse("office:cockpit"))
    assert response.status_code == 302
    assert reverse("office:login") in response["Location"]


def test_a_leader_finds_the_cockpit_from_home_and_the_menu(demo_org, login) -> None:
    html = login("leader").get(reverse("office:home")).content.decode()
    assert 'data-testid="cockpit-card"' in html
    assert 'data-testid="cockpit-link"' in html
    other = login("xiaoneng").get(reverse("office:home")).content.decode()
    assert 'data-testid="cockpit-card"' not in other
    assert 'data-testid="cockpit-link"' not in other


def test_a_bad_month_is_explained_not_a_500(demo_org, login) -> None:
    client = login("leader")
    response = client.get(reverse("office:cockpit"), {"month": "2026-13"})
    assert response.status_code == 200
    assert "请按“年-月”填写月份" in response.content.decode()
    earlier = client.get(reverse("office:cockpit"), {"month": "2025-11"}).content.decode()
    assert 'data-testid="cockpit-month">2025-11<' in earlier


def test_the_cockpit_reads_in_english(demo_org, login) -> None:
    client = login("leader")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("office:cockpit")).content.decode()
    assert "This month&#x27;s key figures" in html or "This month's key figures" in html
    assert "Overdue supervision orders" in html
    assert "驾驶舱" not in html
