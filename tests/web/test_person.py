"""The person primed once per request: the compiled query gives what the ORM query gives."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xiaoneng.notify.models import Notification
from xiaoneng.org.models import User
from xiaoneng.org.selectors import user_roles
from xiaoneng.web.person import _primed_staff, prime, unread_of

pytestmark = pytest.mark.django_db


def _fresh(username: str) -> User:
    return User.objects.get(username=username)


def test_every_demo_login_is_primed_as_the_orm_reads_it(users) -> None:
    head = users["head"]
    Notification.objects.create(
        recipient_user=head,
        channel=Notification.Channel.INBOX,
        kind="test",
        created_at=timezone.now(),
        next_attempt_at=timezone.now(),
        subject="x",
        body="y",
    )
    for username in users:
        expected = _primed_staff().filter(user__username=username).first()
        user = _fresh(username)
        with CaptureQueriesContext(connection) as queries:
            prime(user)
            prime(user)  # once per request
        staff = user._xiaoneng_staff
        if expected is None:
            assert staff is None, username
            continue
        assert len(queries) == 1, username
        assert staff.pk == expected.pk
        assert staff.user is user
        fields = [f.attname for f in type(staff)._meta.concrete_fields]
        assert [getattr(staff, f) for f in fields] == [getattr(expected, f) for f in fields]
        assert staff.unit == expected.unit
        assert staff.unit.name == expected.unit.name
        assert staff.department == expected.department
        if staff.department is not None:
            assert staff.department.name == expected.department.name
        assert unread_of(user) == expected.unread
        assert user_roles(user) == user_roles(_fresh(username)), username
    assert unread_of(_fresh("head")) is None  # not primed yet
    primed_head = _fresh("head")
    prime(primed_head)
    assert unread_of(primed_head) >= 1


def test_a_user_without_a_staff_record_is_primed_empty(demo_org) -> None:
    bare = User.objects.create_user(username="bare", password="x")
    prime(bare)
    assert bare._xiaoneng_staff is None
    assert unread_of(bare) is None
    assert user_roles(bare) == set()
