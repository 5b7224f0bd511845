"""Query budgets: workbench, case list and case page at ≤ 10 queries, whatever the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xiaoneng.cases.services import case_dispatch, case_sign_for

pytestmark = pytest.mark.django_db
BUDGET = 10
# The workbench also shows the sections other apps register (web/workbench.py): the internal
# matters waiting for the person add their lists and counts (up to eight queries for 办公室).
HOME_BUDGET = BUDGET + 8
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
    few = _count(client, reverse(name))
    _cases(make_case, users, basic, finance, 12, 100)
    many = _count(client, reverse(name))
    assert many <= (HOME_BUDGET if name == "office:home" else BUDGET), many
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
