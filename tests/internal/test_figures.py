"""请示回复及时率, 批办件办结率 and return attempts: defined in assessment/metrics.py, shown on
the dashboard, in the ranking and in the bulletin, each number opening the matters it counts."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from tests.internal.conftest import YEAR, moment
from xiaoneng.assessment.bulletin_text import bulletin_blocks, plain_body
from xiaoneng.assessment.bulletins import bulletin_content
from xiaoneng.assessment.internal_figures import internal_figures, internal_ranking
from xiaoneng.assessment.metrics import instruction_completion_rate, request_reply_timely_rate
from xiaoneng.assessment.selectors import Period
from xiaoneng.internal.services import (
    matter_ask,
    matter_complete,
    matter_draft,
    matter_register,
    matter_reroute_decide,
    matter_reroute_request,
    matter_sign,
    matter_signoff,
)

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="([^"]+)" data-count="(\d+)">')
TOTAL = re.compile(r'data-testid="list-total" data-total="(\d+)"')
JANUARY = Period(date(YEAR, 1, 1), date(YEAR, 1, 31))


@pytest.fixture
def history(users, departments, leader, instruction, monday) -> None:
    """Two 批办件 (one done, one refused a re-route) and two 请示 (one on time, one late)."""
    matter_sign(by=users["handler_a"], matter=instruction)
    matter_complete(by=users["handler_a"], matter=instruction, result="已办结")
    second = matter_register(
        by=users["intake"],
        kind="instruction",
        title="第二件",
        instruction="请办理",
        leader=leader,
        lead_department=departments["safety"],
    )
    matter_reroute_request(by=users["safety_a"], matter=second, reason="非本科职责")
    matter_reroute_decide(by=users["intake"], matter=second, approve=False, note="职责明确")
    for n, day in enumerate((date(YEAR, 1, 6), date(YEAR, 1, 20))):
        asked = matter_ask(
            by=users["school_handler"],
            title=f"请示{n}",
            body="请批示",
            department=departments["basic"],
        )
        monday.move_to(moment(day))
        matter_draft(by=users["handler_a"], matter=asked, reply="同意")
        matter_signoff(by=users["head"], matter=asked, approve=True)
        monday.move_to(moment(date(YEAR, 1, 5)))


def test_the_rates_are_defined_once() -> None:
    counts = {
        "requests_on_time": 1,
        "requests_replied": 2,
        "instructions_done": 0,
        "instructions_registered": 0,
    }
    assert request_reply_timely_rate(counts) == 50.0
    assert instruction_completion_rate(counts) is None


@pytest.mark.usefixtures("history")
def test_figures_and_ranking(departments) -> None:
    total = internal_figures(JANUARY)
    assert total.counts["requests_replied"] == 2
    assert total.request_reply_timely_rate == 50.0
    assert total.instruction_completion_rate == 50.0
    assert total.return_attempts == 1
    rows = {row.name: row for row in internal_ranking(JANUARY)}
    assert rows["安全稳定科"].counts["reroute_refused"] == 1
    assert rows["基础教育科"].request_reply_timely_rate == 50.0


@pytest.mark.usefixtures("history")
@pytest.mark.parametrize("username", ["xiaoneng", "leader", "head"])
def test_every_number_on_the_dashboard_opens_the_matters_it_counts(login, username) -> None:
    client = login(username)
    page = client.get(
        reverse("assessment:dashboard"), {"date_from": "2026-01-01", "date_to": "2026-01-31"}
    ).content.decode()
    assert 'data-testid="internal-figures"' in page
    links = [(h, n) for h, n in LINK.findall(page) if "/office/internal/" in h]
    assert len(links) >= 6
    for href, number in links:
        listed = client.get(unescape(href))
        assert listed.status_code == 200
        assert TOTAL.search(listed.content.decode())[1] == number, href


@pytest.mark.usefixtures("history")
def test_the_bulletin_has_the_section() -> None:
    content = bulletin_content(JANUARY)
    text = "".join(
        str(line)
        for line in plain_body(
            bulletin_blocks(content, period_from=JANUARY.start, period_to=JANUARY.end)
        )
    )
    assert "政令畅通" in text
    assert "请示回复及时率50%" in text
    assert "安全稳定科" in text
