"""The office's intake pool page (待受理), its actions, the workbench count and the search."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xiaoneng.cases.models import Case, Category
from xiaoneng.cases.services.public import public_submit
from xiaoneng.org.models import Unit
from xiaoneng.org.services import absence_record

pytestmark = pytest.mark.django_db
POOL = "office:intake_pool"


def submit(unit_code: str | None = None, n: int = 0) -> Case:
    return public_submit(
        kind="complaint",
        category=Category.objects.get(code="fees"),
        content=f"网上反映第{n}号：学校违规收取资料费，请核查。",
        unit_concerned=Unit.objects.get(code=unit_code) if unit_code else None,
        requester_phone=f"1390000{n:04d}",
    ).case


def numbers(body: str) -> set[str]:
    return set(re.findall(r'data-testid="pool-row">\s*<td><a href="[^"]+">([^<]+)<', body))


def test_each_pool_worker_sees_only_their_units_pool(client, demo_org, demo_password) -> None:
    bureau, school = submit(), submit("school-1", 1)
    client.login(username="intake", password=demo_password)
    body = client.get(reverse(POOL)).content.decode()
    assert numbers(body) == {bureau.number}
    assert reverse("office:case_act", args=[bureau.pk, "accept"]) in body
    client.login(username="school_handler", password=demo_password)
    assert numbers(client.get(reverse(POOL)).content.decode()) == {school.number}
    # Another unit's pooled case is not even revealed to exist.
    assert client.get(reverse("office:case_detail", args=[bureau.pk])).status_code == 404
    client.login(username="xiaoneng", password=demo_password)
    assert numbers(client.get(reverse(POOL)).content.decode()) == {bureau.number, school.number}
    for nobody in ("handler_a", "head"):
        client.login(username=nobody, password=demo_password)
        assert numbers(client.get(reverse(POOL)).content.decode()) == set()


def test_b_holder_gets_the_accept_button_only_while_a_is_away(
    client, users, staff_of, demo_password
) -> None:
    case = submit("school-1")
    accept = reverse("office:case_act", args=[case.pk, "accept"])
    client.login(username="school_handler_b", password=demo_password)
    assert accept not in client.get(reverse(POOL)).content.decode()
    now = timezone.now()
    absence_record(
        staff=staff_of("school_handler"),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=2),
        kind="leave",
        by=users["sysadmin"],
    )
    body = client.get(reverse(POOL)).content.decode()
    assert accept in body
    assert 'data-testid="pool-duty"' in body
    response = client.post(accept, {"next": reverse(POOL)})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.first_contact == staff_of("school_handler_b")
    assert numbers(client.get(reverse(POOL)).content.decode()) == set()


def test_accept_twice_from_the_page_says_who_has_it(client, demo_org, demo_password) -> None:
    case = submit()
    client.login(username="xiaoneng", password=demo_password)
    accept = reverse("office:case_act", args=[case.pk, "accept"])
    client.post(accept)
    client.login(username="intake", password=demo_password)
    # The case left intake's pool: the page is 404 for them, the action too.
    assert client.post(accept).status_code == 404


def test_search_by_number_finds_a_pooled_case_for_its_worker(
    client, demo_org, demo_password
) -> None:
    case = submit()
    client.login(username="intake", password=demo_password)
    link = reverse("office:case_detail", args=[case.pk])
    body = client.get(reverse("office:case_list"), {"q": case.number}).content.decode()
    assert link in body
    client.login(username="school_handler", password=demo_password)
    body = client.get(reverse("office:case_list"), {"q": case.number}).content.decode()
    assert link not in body


def test_workbench_counts_the_pool_for_its_worker_not_for_the_office(
    client, demo_org, demo_password
) -> None:
    submit(n=1), submit(n=2)
    client.login(username="intake", password=demo_password)
    body = client.get(reverse("office:home")).content.decode()
    group = re.search(r'data-testid="group-intake".*?<span class="count">(\d+)<', body, re.S)
    assert group
    assert group[1] == "2"
    client.login(username="xiaoneng", password=demo_password)
    body = client.get(reverse("office:home")).content.decode()
    dispatch = re.search(r'data-testid="group-dispatch".*?<span class="count">(\d+)<', body, re.S)
    assert dispatch
    assert dispatch[1] == "0"
    # The office supervises the pools on the pool page; they are not its queue.
    assert 'data-testid="group-intake"' not in body


@pytest.mark.parametrize("username", ["intake", "xiaoneng"])
def test_pool_page_query_count_does_not_grow_with_rows(
    client, demo_org, demo_password, username
) -> None:
    for n in range(2):
        submit(n=n)
    client.login(username=username, password=demo_password)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(POOL)).status_code == 200
        return len(queries.captured_queries)

    few = count()
    for n in range(2, 12):
        submit(n=n)
    many = count()
    assert many == few
    assert many <= 12, many


def test_portal_receipt_says_what_happens_next(client, demo_org) -> None:
    from tests.portal.conftest import submit_form

    category = Category.objects.get(code="fees")
    school = Unit.objects.get(code="school-1")
    response = client.post(
        reverse("portal:submit"), submit_form(category, unit_concerned=school.pk), follow=True
    )
    body = response.content.decode()
    assert "已提交，等待受理" in body
    assert 'data-testid="next-step"' in body
    assert "示例市第一中学" in body
    case = Case.objects.get()
    assert case.unit == school
    assert case.first_contact is None
    english = client.post(
        reverse("portal:submit"),
        submit_form(category, unit_concerned=school.pk, content="另一件事：食堂收费过高，请核查。"),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "the first-contact officer of No. 1 Middle School accepts" in english


def test_the_duty_line_names_the_post_in_the_readers_language(
    client, demo_org, demo_password
) -> None:
    client.login(username="intake", password=demo_password)
    english = client.get(reverse(POOL), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "as holder of the post First-contact desk" in english
    assert "首问受理岗" not in english
    chinese = client.get(reverse(POOL), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "首问受理岗" in chinese
