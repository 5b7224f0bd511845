"""Query budgets: workbench, case list and case page at ≤ 10 queries, whatever the rows."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xiaoneng.cases.services import case_dispatch, case_sign_for

pytestmark = pytest.mark.django_db
BUDGET = 10
# The workbench with the sections other apps register (web/workbench.py) included: the
# internal matters waiting for the person are read with their counts in one query.
HOME_BUDGET = BUDGET
# The case page also reads the unit's reply templates for the reply composer (one query).
CASE_PAGE_BUDGET = BUDGET + 1


def _cases(make_case, users, basic, finance, count: int, offset: int) -> list:
    cases = []
    for i in range(count):
        case = make_case(
            content=f"家长反映第{offset + i}号问题，学校违规收取费用，请依法核查处理。",
            requester_phone=f"1380000{offset + i:04d}",
        )
        if i % 3:
            case = case_dispatch(case=case, by=users["intake"], lead=basic, assisting=[finance])
        if i % 3 == 2:
            case = case_sign_for(case=case, by=users["handler_a"])
        cases.append(case)
    return cases


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


PAGES = [
    ("handler_a", "office:home"),
    ("head", "office:home"),
    ("xiaoneng", "office:home"),
    ("intake", "office:home"),
    ("intake", "office:case_list"),
    ("xiaoneng", "office:case_list"),
    ("handler_a", "office:case_list"),
]


@pytest.mark.parametrize(("username", "name"), PAGES)
def test_lists_stay_within_budget_whatever_the_rows(
    login, make_case, users, basic, finance, username, name
) -> None:
    _cases(make_case, users, basic, finance, 3, 0)
    client = login(username)
    budget = HOME_BUDGET if name == "office:home" else BUDGET
    # The first request also fills the process's caches (the list filters' options).
    assert _count(client, reverse(name)) <= budget
    few = _count(client, reverse(name))
    _cases(make_case, users, basic, finance, 12, 100)
    many = _count(client, reverse(name))
    assert many <= budget, many
    assert many == few


@pytest.mark.parametrize("username", ["intake", "handler_a", "head", "xiaoneng", "finance_head"])
def test_case_page_stays_within_budget(login, make_case, users, basic, finance, username) -> None:
    case = _cases(make_case, users, basic, finance, 3, 0)[2]  # signed for, with an assist
    client = login(username)
    url = reverse("office:case_detail", args=[case.pk])
    before = _count(client, url)
    for note in range(5):
        from xiaoneng.cases.services import case_resume, case_suspend

        case_suspend(case=case, by=users["handler_a"], reason=f"等待补正材料{note}")
        case_resume(case=case, by=users["handler_a"], note="材料已补正")
    after = _count(client, url)
    assert after <= CASE_PAGE_BUDGET, after
    assert after == before


def test_dispatched_case_page_for_the_b_holder(login, make_case, users, basic, staff_of) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from xiaoneng.org.services import absence_record

    case = case_dispatch(case=make_case(), by=users["intake"], lead=basic)
    now = timezone.now()
    absence_record(
        staff=staff_of("handler_a"),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=2),
        kind="leave",
        by=None,
    )
    client = login("handler_b")
    assert _count(client, reverse("office:case_detail", args=[case.pk])) <= CASE_PAGE_BUDGET
    assert _count(client, reverse("office:home")) <= HOME_BUDGET


def _internal_matters(users, basic, offset: int) -> None:
    """Internal matters waiting in each internal section of the workbench: one to route
    (registered without a lead), one to sign for, one to handle with an extension request
    waiting for a decision, and three requests of a school: a draft waiting for the head,
    one for the leader, one replied and waiting for the school to confirm."""
    from xiaoneng.internal.services import (
        matter_ask,
        matter_draft,
        matter_extension_request,
        matter_register,
        matter_sign,
        matter_signoff,
    )

    def meeting(n: int, lead):
        return matter_register(
            by=users["intake"],
            kind="meeting",
            title=f"会议议定事项{offset + n}",
            meeting_ref=f"局长办公会纪要〔2026〕{offset + n}号",
            lead_department=lead,
        )

    meeting(0, None)
    meeting(1, basic)
    handled = matter_sign(by=users["handler_a"], matter=meeting(2, basic))
    matter_extension_request(by=users["handler_a"], matter=handled, units=2, reason="材料待补")
    asked = [
        matter_ask(
            by=users["school_handler"], title=f"请示{offset + n}", body="请示事项", department=basic
        )
        for n in range(3)
    ]
    for matter in asked:
        matter_draft(by=users["handler_a"], matter=matter, reply="同意。")
    matter_signoff(by=users["head"], matter=asked[1], approve=True, to_leader=True)
    matter_signoff(by=users["head"], matter=asked[2], approve=True)


# The whole page, internal matters included, for each role that has a workbench: the session
# and the person (2), the person's staff record with roles and unread count (1), the calendar
# and configuration tokens (1), the posts, the ranked cases with the group counts, their clocks
# and the notices (4), the ranked internal matters with the section counts and their clocks (2)
# — whatever the number of cases and matters. Beside each, the internal sections shown.
HOME_QUERIES = {
    "handler_a": (10, {"internal-sign", "internal-handle"}),
    "head": (10, {"internal-sign", "internal-handle", "internal-head"}),
    "xiaoneng": (10, {"internal-extension"}),
    "intake": (10, {"internal-route"}),
    "leader": (9, {"internal-leader", "internal-extension"}),
    "school_handler": (9, {"internal-confirm"}),
}


@pytest.mark.parametrize(("username", "expected"), HOME_QUERIES.items())
def test_each_workbench_costs_a_fixed_number_of_queries_with_internal_matters(
    login, make_case, users, basic, finance, username, expected
) -> None:
    queries, sections = expected
    _cases(make_case, users, basic, finance, 3, 0)
    _internal_matters(users, basic, 0)
    client = login(username)
    few = _count(client, reverse("office:home"))
    _cases(make_case, users, basic, finance, 9, 100)
    for offset in (100, 200, 300):
        _internal_matters(users, basic, offset)
    page = client.get(reverse("office:home")).content.decode()
    shown = set(re.findall(r'data-testid="group-(internal-[a-z]+)"', page))
    assert shown == sections
    assert _count(client, reverse("office:home")) == few == queries, few
