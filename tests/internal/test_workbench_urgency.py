"""The internal matters on the workbench: the most urgent first (red card, yellow card,
pre-warning, then the soonest due), each with the time left beside it, as the case groups."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from tests.internal.conftest import YEAR, moment
from xiaoneng.internal.models import Matter
from xiaoneng.internal.services import matter_register, matter_sign
from xiaoneng.web.workbench import urgency_key

pytestmark = pytest.mark.django_db

ITEM = re.compile(r'<li data-testid="section-item" data-level="(\w+)"><a href="[^"]+">(\S+) ')


def _section(html: str, code: str) -> str:
    start = html.index(f'data-testid="group-{code}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def matters(users, departments, monday) -> dict[str, Matter]:
    """Four meeting decisions handled by 基础教育科, registered and signed for on Monday
    5 January, with 20, 11, 8 and 2 working days: on Monday 19 January the first is on time,
    the second in its pre-warning, the third past due (yellow), the last past its grace (red).
    They were registered in that order, the least urgent first."""
    made = {}
    for key, days in [("normal", 20), ("prewarn", 11), ("yellow", 8), ("red", 2)]:
        matter = matter_register(
            by=users["intake"],
            kind="meeting",
            title=f"会议议定事项（{key}）",
            meeting_ref="局长办公会纪要〔2026〕1号",
            limit_workdays=days,
            lead_department=departments["basic"],
        )
        made[key] = matter_sign(by=users["handler_a"], matter=matter)
    return made


@pytest.mark.parametrize(
    ("language", "left"), [("zh-hans", "剩余 1 个工作日"), ("en", "1 working day left")]
)
def test_internal_matters_come_most_urgent_first_with_the_time_left(
    login, matters, language, left
) -> None:
    with time_machine.travel(moment(date(YEAR, 1, 19), 10), tick=False):
        client = login("handler_a")  # signed in that day: the session would have expired
        html = client.get(reverse("office:home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    section = _section(html, "internal-handle")
    rows = ITEM.findall(section)
    numbers = {m.number: key for key, m in matters.items()}
    assert [level for level, _number in rows] == ["red", "yellow", "prewarn", "normal"]
    assert [numbers[number] for _level, number in rows] == ["red", "yellow", "prewarn", "normal"]
    assert section.count('data-testid="remaining"') == 4
    assert left in section  # the pre-warned matter: due at the end of tomorrow
    assert 'class="left left-overdue"' in section


def test_the_urgency_key_orders_like_the_case_groups() -> None:
    """Red, yellow, pre-warning, on time by the soonest due; no deadline last."""
    from datetime import UTC, datetime

    from xiaoneng.cases.deadlines import NO_DEADLINE, Deadline

    soon = datetime(2026, 1, 5, tzinfo=UTC)
    later = datetime(2026, 1, 9, tzinfo=UTC)
    rows = [
        (NO_DEADLINE, 1),
        (Deadline(level="normal", due_at=later), 2),
        (Deadline(level="normal", due_at=soon), 3),
        (Deadline(level="prewarn", due_at=later), 4),
        (Deadline(level="red", due_at=later), 5),
        (Deadline(level="yellow", due_at=soon), 6),
    ]
    ordered = sorted(rows, key=lambda row: urgency_key(*row))
    assert [pk for _deadline, pk in ordered] == [5, 6, 4, 3, 2, 1]


def test_a_section_shows_its_most_urgent_ten_with_the_exact_count(
    login, users, departments, monday
) -> None:
    """Twelve matters being handled, due in 1 to 12 working days: the handler's section counts
    twelve and shows the ten soonest due; the extension requested on the last one is the
    efficiency office's section alone, ranked on its own."""
    from xiaoneng.internal.services import matter_extension_request

    made = []
    for days in range(12, 0, -1):  # registered least urgent first
        matter = matter_register(
            by=users["intake"],
            kind="meeting",
            title=f"会议议定事项（{days}）",
            meeting_ref=f"局长办公会纪要〔2026〕{days}号",
            limit_workdays=days,
            lead_department=departments["basic"],
        )
        made.append(matter_sign(by=users["handler_a"], matter=matter))
    matter_extension_request(by=users["handler_a"], matter=made[0], units=3, reason="材料待补")
    numbers = {m.number: int(m.title.split("（")[1].rstrip("）")) for m in made}
    html = login("handler_a").get(reverse("office:home")).content.decode()
    section = _section(html, "internal-handle")
    assert '<span class="count">12</span>' in section
    shown = [numbers[number] for _level, number in ITEM.findall(section)]
    assert shown == list(range(1, 11))
    html = login("xiaoneng").get(reverse("office:home")).content.decode()
    section = _section(html, "internal-extension")
    assert '<span class="count">1</span>' in section
    assert [numbers[number] for _level, number in ITEM.findall(section)] == [12]
