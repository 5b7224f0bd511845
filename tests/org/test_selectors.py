"""Who acts now for a post: every combination of A, B and head presence (AB岗工作制)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.factories import AbsenceFactory, DepartmentFactory, PostFactory, StaffFactory
from xiaoneng.errors import PermissionDenied
from xiaoneng.org.models import User
from xiaoneng.org.selectors import (
    Capacity,
    post_acting_holder,
    require_staff,
    staff_for,
    staff_is_absent,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def away(staff, start=NOW - timedelta(hours=1), end=NOW + timedelta(days=1)) -> None:
    AbsenceFactory(staff=staff, starts_at=start, ends_at=end)


@pytest.fixture
def post():
    department = DepartmentFactory()
    head = StaffFactory(department=department)
    department.head = head
    department.save()
    return PostFactory(
        department=department,
        a_holder=StaffFactory(department=department),
        b_holder=StaffFactory(department=department),
    )


def test_a_holder_acts_when_present(post) -> None:
    acting = post_acting_holder(post=post, at=NOW)
    assert acting.staff == post.a_holder
    assert acting.capacity is Capacity.A_HOLDER
    assert acting.standing_in_for is None


def test_b_holder_acts_for_absent_a(post) -> None:
    away(post.a_holder)
    acting = post_acting_holder(post=post, at=NOW)
    assert acting.staff == post.b_holder
    assert acting.capacity is Capacity.B_HOLDER
    assert acting.standing_in_for == post.a_holder


def test_head_acts_when_a_and_b_are_both_absent(post) -> None:
    away(post.a_holder)
    away(post.b_holder)
    acting = post_acting_holder(post=post, at=NOW)
    assert acting.staff == post.department.head
    assert acting.capacity is Capacity.HEAD
    assert acting.standing_in_for == post.a_holder


def test_a_acts_when_only_b_is_absent(post) -> None:
    away(post.b_holder)
    assert post_acting_holder(post=post, at=NOW).staff == post.a_holder


def test_head_acts_when_a_absent_and_no_b(post) -> None:
    post.b_holder = None
    post.save()
    away(post.a_holder)
    acting = post_acting_holder(post=post, at=NOW)
    assert acting.capacity is Capacity.HEAD


def test_b_acts_when_post_has_no_a(post) -> None:
    post.a_holder = None
    post.save()
    acting = post_acting_holder(post=post, at=NOW)
    assert acting.staff == post.b_holder
    assert acting.capacity is Capacity.B_HOLDER


def test_nobody_when_everyone_away_and_no_head(post) -> None:
    department = post.department
    department.head = None
    department.save()
    away(post.a_holder)
    away(post.b_holder)
    acting = post_acting_holder(post=post, at=NOW)
    assert acting.staff is None
    assert acting.capacity is None


def test_absence_window_is_half_open(post) -> None:
    start, end = NOW + timedelta(hours=1), NOW + timedelta(hours=3)
    away(post.a_holder, start, end)
    assert not staff_is_absent(staff=post.a_holder, at=NOW)
    assert staff_is_absent(staff=post.a_holder, at=start)
    assert not staff_is_absent(staff=post.a_holder, at=end)
    assert post_acting_holder(post=post, at=start).staff == post.b_holder
    assert post_acting_holder(post=post, at=end).staff == post.a_holder


def test_staff_for_and_require_staff(users, staff_of) -> None:
    assert staff_for(users["head"]) == staff_of("head")
    assert require_staff(users["head"]) == staff_of("head")
    assert staff_for(AnonymousUser()) is None
    outsider = User.objects.create(username="outsider")
    assert staff_for(outsider) is None
    with pytest.raises(PermissionDenied):
        require_staff(outsider)
