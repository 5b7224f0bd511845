"""Lockout, idle and absolute session limits, key rotation, and deactivation."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD, UserFactory
from xiaoneng.security.services import user_deactivate

pytestmark = pytest.mark.django_db


def _sign_in(client, username: str, password: str, **extra):
    return client.post(
        reverse("office:login"), {"username": username, "password": password}, **extra
    )


def _error(response) -> str:
    body = response.content.decode()
    assert response.status_code == 200
    start = body.index('class="errors"')
    return body[start : body.index("</div>", start)]


def test_five_failures_lock_the_account_with_the_same_message(client) -> None:
    UserFactory(username="qianwei")
    wrong = _sign_in(client, "qianwei", "Wrong#pass1")
    unknown = _sign_in(client, "nobody-here", "Wrong#pass1")
    assert _error(wrong).replace("qianwei", "") == _error(unknown).replace("nobody-here", "")
    for _n in range(4):
        _sign_in(client, "qianwei", "Wrong#pass1")
    locked = _sign_in(client, "qianwei", TEST_PASSWORD)
    assert "_auth_user_id" not in client.session
    assert _error(locked) == _error(wrong)
    assert client.get(reverse("office:home")).status_code == 302


def test_the_lock_lifts_after_thirty_minutes(client, settings) -> None:
    UserFactory(username="zhoujie")
    for _n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "zhoujie", "Wrong#pass1")
    assert "_auth_user_id" not in client.session
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        _sign_in(client, "zhoujie", TEST_PASSWORD)
        assert "_auth_user_id" not in client.session
    # Counted from the last failed attempt (the one at 29 minutes, refused while locked).
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        response = _sign_in(client, "zhoujie", TEST_PASSWORD)
        assert response.status_code == 302
        assert "_auth_user_id" in client.session


def test_one_address_trying_many_accounts_is_locked(client) -> None:
    UserFactory(username="target")
    for n in range(5):
        _sign_in(client, f"guess{n}", "Wrong#pass1", REMOTE_ADDR="10.9.8.7")
    _sign_in(client, "target", TEST_PASSWORD, REMOTE_ADDR="10.9.8.7")
    assert "_auth_user_id" not in client.session
    # Another address may still sign the same person in.
    response = _sign_in(client, "target", TEST_PASSWORD, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 302


def test_session_key_changes_at_sign_in(client) -> None:
    UserFactory(username="wuyan")
    client.get(reverse("office:login"))
    client.session.save()
    before = client.session.session_key
    assert _sign_in(client, "wuyan", TEST_PASSWORD).status_code == 302
    after = client.session.session_key
    assert before
    assert after
    assert before != after
    assert not Session.objects.filter(session_key=before).exists()


def test_idle_session_ends_after_fifteen_minutes(client, settings) -> None:
    UserFactory(username="idle")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _sign_in(client, "idle", TEST_PASSWORD)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert client.get(reverse("office:home")).status_code == 200
    # Activity at 14 minutes moved the idle window on.
    with time_machine.travel(start + timedelta(minutes=28), tick=False):
        assert client.get(reverse("office:home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=28 + 16), tick=False):
        response = client.get(reverse("office:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("office:login"))


def test_absolute_limit_ends_an_active_session_after_eight_hours(client, settings) -> None:
    settings.SESSION_COOKIE_AGE = 24 * 3600  # the cookie alone would allow more
    UserFactory(username="busy")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _sign_in(client, "busy", TEST_PASSWORD)
    minute = 0
    while minute < 8 * 60 - 10:
        minute += 10
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            assert client.get(reverse("office:home")).status_code == 200, minute
    with time_machine.travel(start + timedelta(hours=8, minutes=1), tick=False):
        assert client.get(reverse("office:home")).status_code == 302


def test_deactivating_a_person_ends_their_sessions(client) -> None:
    from django.test import Client

    user = UserFactory(username="leaving")
    other = Client()
    _sign_in(client, "leaving", TEST_PASSWORD)
    _sign_in(other, "leaving", TEST_PASSWORD)
    keys = [client.session.session_key, other.session.session_key]
    assert Session.objects.filter(session_key__in=keys).count() == 2
    user_deactivate(user=user, by=None)
    assert Session.objects.filter(session_key__in=keys).count() == 0
    assert client.get(reverse("office:home")).status_code == 302


def test_deactivating_through_the_admin_also_ends_sessions(client) -> None:
    user = UserFactory(username="viaadmin")
    _sign_in(client, "viaadmin", TEST_PASSWORD)
    key = client.session.session_key
    user.is_active = False
    user.save()
    assert not Session.objects.filter(session_key=key).exists()
