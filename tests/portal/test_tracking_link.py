"""Tracking in one request: the lookup answers the page itself, writes no session, reads the
page's public parts from the cache (at most 3 queries), and carries a signed link that refuses
any change."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.urls import reverse

from xiaoneng.cases.models import Case
from xiaoneng.cases.services.public import public_submit
from xiaoneng.portal import tracking

from .conftest import staff_reply

pytestmark = pytest.mark.django_db


def _submit(category, content: str = "学校收取资料费，请核查。") -> tuple[Case, str]:
    registered = public_submit(
        kind="complaint",
        category=category,
        content=content,
        requester_name="孙家长",
        requester_phone="13900003333",
    )
    return registered.case, registered.tracking_secret or ""


def _lookup(client, case: Case, secret: str):
    return client.post(reverse("portal:track"), {"code": case.tracking_code, "secret": secret})


def _token(html: str) -> str:
    tokens = re.findall(r'\?t=([^"&]+)"', html)
    assert tokens, "the page carries its signed link"
    return unquote(tokens[0])


def test_lookup_answers_the_page_in_one_request_without_a_session(client, category) -> None:
    case, secret = _submit(category)
    response = _lookup(client, case, secret)
    assert response.status_code == 200
    assert not response.has_header("Location")
    html = response.content.decode()
    assert case.number in html
    assert 'data-testid="progress"' in html
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
    # Following the page's own link: the same page, still no session.
    again = client.get(reverse("portal:track_detail"), {"t": _token(html)})
    assert again.status_code == 200
    assert case.number in again.content.decode()
    assert "sessionid" not in again.cookies
    assert Session.objects.count() == 0
    assert "no-store" in response["Cache-Control"]


def test_a_cached_lookup_takes_at_most_three_queries(
    client, category, django_assert_max_num_queries
) -> None:
    case, secret = _submit(category)
    _lookup(client, case, secret)  # the first lookup fills the cache
    with django_assert_max_num_queries(3):
        response = _lookup(client, case, secret)
    assert case.number in response.content.decode()
    token = _token(response.content.decode())
    with django_assert_max_num_queries(3):
        response = client.get(reverse("portal:track_detail"), {"t": token})
    assert response.status_code == 200


def test_a_first_lookup_stays_within_its_budget(
    client, category, django_assert_max_num_queries
) -> None:
    case, secret = _submit(category)
    with django_assert_max_num_queries(8):
        assert _lookup(client, case, secret).status_code == 200


def test_the_cached_page_changes_with_the_case(client, users, category, basic) -> None:
    case, secret = _submit(category)
    assert "已责令退还资料费" not in _lookup(client, case, secret).content.decode()
    staff_reply(case, users, basic, text="经核查，已责令退还资料费。")
    assert "已责令退还资料费" in _lookup(client, case, secret).content.decode()


def test_a_changed_link_is_refused_with_a_clear_message(client, category) -> None:
    case, secret = _submit(category)
    token = _token(_lookup(client, case, secret).content.decode())
    url = reverse("portal:track_detail")
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    for bad in (flipped, token[:20], "not-a-token", token + "x"):
        response = client.get(url, {"t": bad})
        assert response.status_code == 400
        html = response.content.decode()
        assert "此查询链接无效" in html
        assert case.number not in html


def test_a_link_made_for_another_case_or_another_secret_is_refused(client, category) -> None:
    mine, secret = _submit(category)
    other, _other_secret = _submit(category, content="另一件诉求：校车晚点。")
    token = _token(_lookup(client, mine, secret).content.decode())
    pk, fingerprint = signing.loads(token, salt=tracking.TOKEN_SALT)
    # A validly signed link naming someone else's case with my fingerprint: refused.
    forged = signing.dumps([other.pk, fingerprint], salt=tracking.TOKEN_SALT)
    response = client.get(reverse("portal:track_detail"), {"t": forged})
    assert response.status_code == 400
    assert other.number not in response.content.decode()
    # Signed with another salt (another use of the same key): refused.
    foreign = signing.dumps([pk, fingerprint], salt="xiaoneng.other")
    assert client.get(reverse("portal:track_detail"), {"t": foreign}).status_code == 400
    # Someone else's code with my secret: not found, and nothing of theirs is shown.
    response = client.post(reverse("portal:track"), {"code": other.tracking_code, "secret": secret})
    assert response.status_code == 200
    assert other.number not in response.content.decode()
    assert 'data-testid="not-found"' in response.content.decode()


def test_an_old_link_has_expired(client, category, monkeypatch) -> None:
    case, secret = _submit(category)
    token = _token(_lookup(client, case, secret).content.decode())
    monkeypatch.setattr(tracking, "TOKEN_DAYS", -1)
    response = client.get(reverse("portal:track_detail"), {"t": token})
    assert response.status_code == 400
    assert "此查询链接已过期" in response.content.decode()


def test_rating_through_the_link(client, users, category, basic) -> None:
    case, secret = _submit(category)
    staff_reply(case, users, basic)
    html = _lookup(client, case, secret).content.decode()
    token = re.search(r'name="t" value="([^"]+)"', html)[1]
    bad = client.post(
        reverse("portal:rate"), {"t": token[:-3], "satisfaction": "satisfied", "resolved": "yes"}
    )
    assert bad.status_code == 400
    case.refresh_from_db()
    assert not case.satisfaction
    response = client.post(
        reverse("portal:rate"), {"t": token, "satisfaction": "satisfied", "resolved": "yes"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('portal:track_detail')}?t=")
    case.refresh_from_db()
    assert case.satisfaction == "satisfied"
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="rating"' in page
    assert Session.objects.count() == 0


def test_a_first_lookup_names_the_organisation_from_what_is_kept(
    client, users, category, basic, django_assert_max_num_queries
) -> None:
    """The lead department, its head and the handler are read once and kept
    (portal/orgnames.py): another handled case's first lookup reads no row of them."""
    first, first_secret = _submit(category)
    staff_reply(first, users, basic)
    case, secret = _submit(category, content="学校违规补课，请核查。")
    case = staff_reply(case, users, basic)
    _lookup(client, first, first_secret)  # reads the department, its head, the handler
    with django_assert_max_num_queries(6):
        html = _lookup(client, case, secret).content.decode()
    case = Case.objects.select_related("lead_department__unit", "handler__user").get(pk=case.pk)
    department = case.lead_department
    assert f'data-testid="department">{department.unit.short_label} {department.label}<' in html
    assert f'data-testid="head">{department.head.name}<' in html
    if case.handler is not None:
        assert f'data-testid="handler">{case.handler.name}<' in html


def test_the_due_date_is_explained_with_the_clock_s_pauses_and_extensions(
    users, category, basic
) -> None:
    """The page reads the reply clock's pauses and extensions itself (only when it has any):
    it explains the due date exactly as the clock read the usual way does."""
    from xiaoneng.cases import clocks
    from xiaoneng.cases.services import (
        case_decide_extension,
        case_dispatch,
        case_request_extension,
        case_sign_for,
    )
    from xiaoneng.cases.services.handling import case_resume, case_suspend
    from xiaoneng.portal.selectors import tracked_page_case, tracking_view
    from xiaoneng.workdays.explain import explain_clock

    case, _secret = _submit(category)
    case = case_sign_for(
        case=case_dispatch(case=case, by=users["xiaoneng"], lead=basic), by=users["handler_a"]
    )
    plain = tracking_view(tracked_page_case(case.pk)).due_lines
    case_request_extension(
        case=case, by=users["handler_a"], reason="需调取档案", basis="工作规则", extra_units=5
    )
    case = case_decide_extension(case=case, by=users["xiaoneng"], approve=True)
    case = case_suspend(case=case, by=users["head"], reason="等待补充材料")
    case = case_resume(case=case, by=users["head"])
    shown = tracking_view(tracked_page_case(case.pk)).due_lines
    expected = explain_clock(clocks.current(case=case, stage=clocks.REPLY)).lines()
    assert [str(line) for line in shown] == [str(line) for line in expected]
    assert shown != plain


def test_the_kept_names_hold_nothing_else_of_the_accounts(client, users, category, basic) -> None:
    """The organisation kept for the page (in a cache Redis may share) carries the accounts'
    names only: no password hash, no sign-in times."""
    from xiaoneng.portal import orgnames

    case, secret = _submit(category)
    staff_reply(case, users, basic)
    _lookup(client, case, secret)
    lead, handler = orgnames.lead_and_handler(Case.objects.get(pk=case.pk))
    assert lead is not None
    assert lead.head is not None
    accounts = [lead.head.user, *([handler.user] if handler is not None else [])]
    for account in accounts:
        assert {"password", "last_login", "email"} <= account.get_deferred_fields()
