"""Password policy: length, classes, username, history, and the forced change after 90 days."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD, UserFactory
from xiaoneng.audit.models import AuditEntry
from xiaoneng.errors import DomainError
from xiaoneng.security.models import PasswordHistory
from xiaoneng.security.services import password_change, password_changed_at

pytestmark = pytest.mark.django_db


def _codes(password: str, user) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return {error.code for error in exc.error_list}
    return set()


def test_policy_rules() -> None:
    user = UserFactory(username="wangfang")
    assert "password_too_short" in _codes("Ab#1xyz", user)
    assert "password_too_simple" in _codes("abcdefgh12", user)  # two classes
    assert _codes("abcdefgh#12", user) == set()  # three classes
    assert "password_contains_username" in _codes("WangFang#2026", user)


def test_policy_numbers_are_settings(settings) -> None:
    settings.XIAONENG_PASSWORD_MIN_CLASSES = 4
    user = UserFactory()
    assert "password_too_simple" in _codes("abcdefgh#12", user)
    assert _codes("Abcdefgh#12", user) == set()


def test_last_five_passwords_are_refused_and_the_sixth_is_allowed_again() -> None:
    user = UserFactory(username="lihua")
    passwords = [f"Blue#sky{n}x" for n in range(6)]
    current = TEST_PASSWORD
    for new in passwords:
        password_change(user=user, old_password=current, new_password=new)
        current = new
    assert PasswordHistory.objects.filter(user=user).count() == 5
    for old in passwords[1:]:
        assert "password_reused" in _codes(old, user), old
    # The first of the six has fallen out of the last five.
    assert _codes(passwords[0], user) == set()
    assert AuditEntry.objects.filter(action="security.password_change").count() == 6


def test_password_change_refuses_a_wrong_current_password() -> None:
    user = UserFactory()
    with pytest.raises(DomainError):
        password_change(user=user, old_password="nope", new_password="Fresh#pass42")
    with pytest.raises(DomainError):
        password_change(user=user, old_password=TEST_PASSWORD, new_password="short")


def test_creation_starts_the_change_interval() -> None:
    """Users made by the services, the demo loader and the factories are never born expired."""
    user = UserFactory()
    assert timezone.now() - password_changed_at(user=user) < timedelta(minutes=1)


def test_demo_logins_are_not_sent_to_change_their_password(client, demo_org, demo_password):
    response = client.post(
        reverse("office:login"), {"username": "head", "password": demo_password}, follow=True
    )
    assert response.request["PATH_INFO"] == reverse("office:home")


def test_an_old_password_forces_the_change_page_until_changed(client, settings) -> None:
    user = UserFactory(username="zhaolei")
    later = timezone.now() + timedelta(days=settings.XIAONENG_PASSWORD_MAX_AGE_DAYS + 1)
    with time_machine.travel(later, tick=False):
        assert client.login(username="zhaolei", password=TEST_PASSWORD)
        response = client.get(reverse("office:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("security:password_change"))
        assert client.get(reverse("notify:inbox")).status_code == 302
        page = client.get(reverse("security:password_change"))
        assert page.status_code == 200
        changed = client.post(
            reverse("security:password_change"),
            {
                "old_password": TEST_PASSWORD,
                "new_password1": "Spring#rain77",
                "new_password2": "Spring#rain77",
            },
        )
        assert changed.status_code == 302
        # Still signed in (session hash updated) and free to work.
        assert client.get(reverse("office:home")).status_code == 200
    user.refresh_from_db()
    assert user.check_password("Spring#rain77")


def test_password_not_yet_expired_is_left_alone(client, settings) -> None:
    UserFactory(username="sunmei")
    later = timezone.now() + timedelta(days=settings.XIAONENG_PASSWORD_MAX_AGE_DAYS - 1)
    with time_machine.travel(later, tick=False):
        assert client.login(username="sunmei", password=TEST_PASSWORD)
        assert client.get(reverse("office:home")).status_code == 200


def test_change_page_shows_policy_errors(client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("security:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "abc", "new_password2": "abc"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
