"""The workbench by urgency (issue #26, item 1): red card → yellow card → pre-warning → due
soonest, the time left beside each in the reader's language, and no card for work a role never
does."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xiaoneng.cases.services import case_dispatch
from xiaoneng.workdays.calendar import get_calendar
from xiaoneng.workdays.deadlines import office_tz
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.periods import end_of_day

pytestmark = pytest.mark.django_db

ITEM = re.compile(r'data-testid="work-item" data-level="(\w+)" data-case="([^"]+)"')
REMAINING = re.compile(r'data-testid="remaining">([^<]+)<')


def _due_in(workdays: int) -> datetime:
    """The end of the working day ``workdays`` working days from today (negative: before)."""
    calendar = get_calendar(None)
    return end_of_day(calendar.add_workdays(timezone.localdate(), workdays), office_tz())


def _set_clock(case, *, due_at: datetime, counting: str = "workdays") -> None:
    """Place the running sign-for clock of a dispatched case (started long ago)."""
    Clock.objects.filter(
        owner_type="cases.case", owner_id=case.pk, stage="sign_for", state="running"
    ).update(due_at=due_at, started_at=timezone.now() - timedelta(days=60), counting=counting)


def _group(html: str, code: str) -> str:
    start = html.index(f'data-testid="group-{code}"')
    return html[start : html.index("</section>", start)]


_phones = count(1)


@pytest.fixture
def dispatched(make_case, users, basic):
    """A case dispatched to 基础教育科 (the post of handler_a, the head 陈静)."""

    def make(title: str):
        case = make_case(title=title, requester_phone=f"1370000{next(_phones):04d}")
        return case_dispatch(case=case, by=users["intake"], lead=basic)

    return make


def test_sign_for_work_is_sorted_red_yellow_prewarn_then_soonest(dispatched, login) -> None:
    later = dispatched("十个工作日后到期")
    red = dispatched("早已超期红牌")
    sooner = dispatched("五个工作日后到期")
    prewarn = dispatched("明天到期预警")
    yellow = dispatched("刚刚超期黄牌")
    _set_clock(later, due_at=_due_in(10))
    _set_clock(red, due_at=_due_in(-20))
    _set_clock(sooner, due_at=_due_in(5))
    _set_clock(prewarn, due_at=_due_in(1))
    _set_clock(yellow, due_at=timezone.now() - timedelta(minutes=90), counting="hours")

    for username in ("handler_a", "head"):  # the post's A holder and the department's head
        html = login(username).get(reverse("office:home")).content.decode()
        items = ITEM.findall(_group(html, "sign_for"))
        assert [number for _level, number in items] == [
            red.number,
            yellow.number,
            prewarn.number,
            sooner.number,
            later.number,
        ]
        assert [level for level, _number in items] == [
            "red",
            "yellow",
            "prewarn",
            "normal",
            "normal",
        ]


def test_time_left_in_chinese_and_english(dispatched, login) -> None:
    calendar = get_calendar(None)
    today = timezone.localdate()
    five = dispatched("五个工作日后到期")
    late = dispatched("早已超期")
    hours = dispatched("按小时计的紧急件")
    overdue_hours = dispatched("按小时计已超期")
    _set_clock(five, due_at=_due_in(5))
    _set_clock(late, due_at=_due_in(-8))
    _set_clock(hours, due_at=timezone.now() + timedelta(hours=5, minutes=30), counting="hours")
    _set_clock(
        overdue_hours, due_at=timezone.now() - timedelta(hours=1, minutes=30), counting="hours"
    )
    left = calendar.workdays_between(today, timezone.localtime(_due_in(5)).date())
    behind = -calendar.workdays_between(today, timezone.localtime(_due_in(-8)).date())
    assert left > 0
    assert behind > 0

    client = login("handler_a")
    html = _group(client.get(reverse("office:home")).content.decode(), "sign_for")
    texts = REMAINING.findall(html)
    assert f"已超期 {behind} 个工作日" in texts
    assert "已超期 2 小时" in texts
    assert "剩余 5 小时" in texts
    assert f"剩余 {left} 个工作日" in texts

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = _group(client.get(reverse("office:home")).content.decode(), "sign_for")
    texts = REMAINING.findall(html)
    assert f"{behind} working days overdue" in texts
    assert "2 hours overdue" in texts
    assert "5 hours left" in texts
    assert f"{left} working days left" in texts


def test_an_overdue_case_says_so_in_red(dispatched, login) -> None:
    _set_clock(dispatched("超期件"), due_at=_due_in(-3))
    html = login("handler_a").get(reverse("office:home")).content.decode()
    assert 'class="left left-overdue" data-testid="remaining">已超期' in html


# Which cards each role sees with nothing waiting: its own kinds of work, never another's.
SHOWN = {
    "intake": {"dispatch", "intake"},
    "handler_a": {"sign_for", "handle"},
    "head": {"sign_for", "review", "assist"},
    "xiaoneng": {"dispatch", "decide", "callbacks"},
    "leader": {"decide"},
    "inspector": set(),
}
ALL = {"intake", "dispatch", "sign_for", "handle", "review", "assist", "decide", "callbacks"}


@pytest.mark.parametrize(("username", "shown"), SHOWN.items())
def test_each_role_sees_only_the_cards_of_its_work(login, username, shown) -> None:
    html = login(username).get(reverse("office:home")).content.decode()
    present = {code for code in ALL if f'data-testid="group-{code}"' in html}
    # The intake pool's card follows the first-contact post (tests/office/test_pool.py).
    assert present - {"intake"} == shown - {"intake"}
    assert 'data-testid="group-notices"' in html  # everyone gets notices


def test_a_card_outside_the_role_shows_when_it_holds_work(make_case, users, login) -> None:
    """A department head who registered a request owns it until dispatch: the card appears."""
    make_case(by=users["head"])
    html = login("head").get(reverse("office:home")).content.decode()
    group = _group(html, "dispatch")
    assert '<span class="count">1</span>' in group
    assert len(ITEM.findall(group)) == 1


def test_the_workbench_costs_the_same_queries_whatever_the_urgency(dispatched, login) -> None:
    client = login("handler_a")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("office:home")).status_code == 200
        return len(queries.captured_queries)

    _set_clock(dispatched("一"), due_at=_due_in(3))
    few = count()
    for n, days in enumerate((-20, -1, 1, 2, 8, 12)):
        _set_clock(dispatched(f"件{n}"), due_at=_due_in(days))
    assert count() == few
