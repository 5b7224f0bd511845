"""Near-duplicates across channels (a portal request and an imported referral about the same
matter), the similar-cases API, 并案 from the intake pool, and the requester told."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.conftest import Api
from tests.referrals.files import row, write_xlsx
from tests.triage.conftest import committed
from xiaoneng.api.services import apiclient_create, apikey_issue
from xiaoneng.cases.models import Case, Category
from xiaoneng.cases.services import case_register
from xiaoneng.cases.services.public import public_submit
from xiaoneng.cases.states import State
from xiaoneng.notify.models import Notification
from xiaoneng.org.models import Unit
from xiaoneng.referrals.services import referral_import_run
from xiaoneng.triage.selectors import similar_cases, similar_to_request
from xiaoneng.triage.similarity import DUPLICATE, Probe, compare

pytestmark = pytest.mark.django_db

PORTAL_TEXT = (
    "我是第一中学初二（3）班学生家长，学校这学期开学每人收了380元的教辅资料费，"
    "没有任何收据，也没有公示，请教育局查一查。"
)
REFERRAL_TEXT = (
    "来电人反映：示例市第一中学初二年级开学时向学生收取教辅资料费每人380元，未开具票据，"
    "也未进行收费公示，要求核实处理。"
)
OTHER_TEXT = "咨询实验小学明年一年级招生划片范围和报名需要准备的材料。"


@pytest.fixture
def portal_case(demo_org) -> Case:
    with committed():  # triage reads the arrived case once the registration commits
        return public_submit(
            kind="complaint",
            category=Category.objects.get(code="fees"),
            title="开学乱收资料费",
            content=PORTAL_TEXT,
            unit_concerned=Unit.objects.get(code="school-1"),
            requester_name="刘家长",
            requester_phone="13800001234",
        ).case


@pytest.fixture
def referral_case(users, tmp_path, portal_case) -> Case:
    path = write_xlsx(
        tmp_path / "referrals.xlsx",
        [row("RX90001", content=REFERRAL_TEXT, phone="13766665555", requester="王女士")],
    )
    report = referral_import_run(by=users["xiaoneng"], file=path, mode="all-or-nothing")
    assert report.created == 1
    return Case.objects.get(external_number="RX90001")


def test_a_portal_request_and_an_imported_referral_are_found_as_one_matter(
    portal_case, referral_case
) -> None:
    found = similar_cases(referral_case)
    assert [s.case.pk for s in found] == [portal_case.pk]
    assert found[0].score >= 0.5
    assert any(
        "第一中学" in reason or "wording" in reason or "相似" in reason
        for reason in found[0].reasons
    )
    back = similar_cases(portal_case)
    assert [s.case.pk for s in back] == [referral_case.pk]


def test_an_unrelated_request_is_not_a_duplicate(portal_case, users) -> None:
    other = case_register(
        by=None,
        channel="online",
        kind="inquiry",
        category=Category.objects.get(code="enrolment"),
        title="招生咨询",
        content=OTHER_TEXT,
        requester_phone="13600000001",
    ).case
    assert similar_cases(other) == []


def test_the_same_person_is_found_through_the_blind_index(portal_case) -> None:
    found = similar_to_request(text="想问一下别的事情", unit=None, phone="138-0000-1234")
    assert [s.case.pk for s in found] == [portal_case.pk]
    assert found[0].match.person


def test_the_api_lists_similar_cases_best_first(portal_case, referral_case) -> None:
    client = apiclient_create(name="热线", scopes=["cases:read"], roles=["intake"], by=None)
    api = Api(apikey_issue(client=client, by=None).plaintext)
    response = api.get(f"/cases/{referral_case.pk}/similar")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body[0]["id"] == portal_case.pk
    assert body[0]["number"] == portal_case.number
    assert 0 < body[0]["score"] <= 1
    assert body[0]["reasons"]
    assert set(body[0]) == {"id", "number", "score", "reasons"}


def test_the_similar_api_is_refused_to_administrators_and_unscoped_keys(portal_case, users) -> None:
    session = Client()
    session.force_login(users["auditor"])
    response = session.get(f"/api/v1/cases/{portal_case.pk}/similar")
    assert response.status_code in (401, 403)
    client = apiclient_create(name="只读目录", scopes=["catalog:read"], roles=["intake"], by=None)
    api = Api(apikey_issue(client=client, by=None).plaintext)
    assert api.get(f"/cases/{portal_case.pk}/similar").status_code == 403
    assert Api().get(f"/cases/{portal_case.pk}/similar").status_code == 401


def test_merge_from_the_intake_pool_and_the_requester_is_told(
    client, demo_password, portal_case, referral_case
) -> None:
    assert client.login(username="xiaoneng", password=demo_password)
    # The pool's triage cells (the pool page loads them into its rows).
    ids = f"{portal_case.pk},{referral_case.pk}"
    cells = client.get(reverse("triage:pool_cells"), {"ids": ids}).content.decode()
    assert 'data-testid="triage-similar-row"' in cells
    assert 'hx-swap-oob="true"' in cells
    assert reverse("triage:merge", args=[portal_case.pk]) in cells
    response = client.post(
        reverse("triage:merge", args=[portal_case.pk]),
        {"into": referral_case.pk, "next": reverse("office:intake_pool")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("office:intake_pool")
    portal_case.refresh_from_db()
    assert portal_case.state == State.MERGED
    assert portal_case.merged_into_id == referral_case.pk
    sms = Notification.objects.get(kind="case.merged", channel="sms")
    assert sms.recipient_address == "13800001234"
    assert referral_case.number in sms.body
    # The public tracking page says the request joined an existing case.
    visitor = Client()
    tracked = visitor.post(
        reverse("portal:track"), {"code": portal_case.tracking_code, "phone_last4": "1234"}
    )
    page = tracked.content.decode()
    assert "合并" in page


def test_only_the_efficiency_office_may_merge(client, demo_password, portal_case, referral_case):
    for username in ("intake", "head", "auditor", "sysadmin", "secadmin"):
        client.logout()
        assert client.login(username=username, password=demo_password)
        url = reverse("triage:merge", args=[portal_case.pk])
        assert client.post(url, {"into": referral_case.pk}).status_code in (403, 404)
    portal_case.refresh_from_db()
    assert portal_case.state == State.REGISTERED


def test_the_case_page_section_shows_suggestion_and_similar_cases(
    client, demo_password, portal_case, referral_case
) -> None:
    assert client.login(username="xiaoneng", password=demo_password)
    panel = client.get(reverse("triage:panel", args=[portal_case.pk])).content.decode()
    # The request waits in the school's own pool, whose model knows only the four offices'
    # remits: no office reaches the 40 % threshold for these words, and the panel says so.
    assert 'data-testid="triage-unknown"' in panel
    assert referral_case.number in panel
    assert 'data-testid="triage-merge"' in panel
    for username in ("auditor", "sysadmin", "secadmin"):
        client.logout()
        assert client.login(username=username, password=demo_password)
        assert client.get(reverse("triage:panel", args=[portal_case.pk])).status_code == 403


def test_a_request_not_yet_registered_is_compared_by_its_words(portal_case) -> None:
    found = similar_to_request(text=REFERRAL_TEXT, unit=None)
    assert [s.case.pk for s in found] == [portal_case.pk]
    assert not found[0].match.person
    assert found[0].score >= 0.5


def test_the_pool_cells_show_only_cases_in_the_persons_pool(
    client, demo_password, portal_case, referral_case
) -> None:
    assert client.login(username="handler_a", password=demo_password)
    ids = f"{portal_case.pk},{referral_case.pk}"
    cells = client.get(reverse("triage:pool_cells"), {"ids": ids})
    assert cells.status_code == 200
    assert "pool-cell" not in cells.content.decode()
    for username in ("auditor", "sysadmin", "secadmin"):
        client.logout()
        assert client.login(username=username, password=demo_password)
        assert client.get(reverse("triage:pool_cells"), {"ids": ids}).status_code == 403


def test_a_canteen_price_is_not_the_canteen_food_poisoning() -> None:
    # The same school and the same canteen, two different matters (issue #24's over-match).
    price = Probe.of("一中食堂的饭菜又涨价了，一份小炒要十五块，学生都吃不起", school_id=1)
    poisoning = Probe.of(
        "第一中学多名学生在食堂吃完午饭后腹泻呕吐，怀疑食堂饭菜有问题", school_id=1
    )
    assert compare(price, poisoning).score < DUPLICATE
    # The same matter reworded still is one.
    again = Probe.of("第一中学食堂饭菜涨价，一份菜十五元，太贵了", school_id=1)
    assert compare(price, again).score >= DUPLICATE
