"""Organisation services: roles (三员分立), posts, absences; audited, refusing bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from tests.factories import DepartmentFactory, PostFactory, StaffFactory, UnitFactory
from xiaoneng.audit.models import AuditEntry
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Absence, Post
from xiaoneng.org.roles import Role
from xiaoneng.org.services import (
    absence_record,
    post_save_holders,
    roles_validate,
    staff_create,
    staff_set_roles,
)

pytestmark = pytest.mark.django_db
NOW = timezone.now()


@pytest.mark.parametrize(
    "pair",
    [
        (Role.SYSADMIN, Role.SECADMIN),
        (Role.SYSADMIN, Role.AUDITOR),
        (Role.SECADMIN, Role.AUDITOR),
    ],
)
def test_two_administrator_roles_are_refused(pair) -> None:
    with pytest.raises(DomainError, match="只能担任"):
        roles_validate(pair)


def test_one_administrator_role_with_other_roles_is_allowed() -> None:
    assert roles_validate(["sysadmin", "handler"]) == {Role.SYSADMIN, Role.HANDLER}


def test_unknown_role_is_refused() -> None:
    with pytest.raises(DomainError):
        roles_validate(["root"])


def test_staff_create_writes_audit_and_sets_roles() -> None:
    department = DepartmentFactory()
    staff = staff_create(
        username="zhangsan",
        full_name="张三",
        unit=department.unit,
        department=department,
        roles=["auditor"],
        password="Zs#secure2026",
    )
    assert staff.user.check_password("Zs#secure2026")
    assert staff.user.is_staff  # administrators reach the admin site
    entry = AuditEntry.objects.get(action="org.staff.create")
    assert entry.object_id == str(staff.pk)
    assert entry.unit_id == department.unit_id
    assert "Zs#secure2026" not in str(entry.summary)


def test_staff_create_rejects_weak_password_and_stores_nothing() -> None:
    department = DepartmentFactory()
    with pytest.raises(DomainError):
        staff_create(username="lisi", full_name="李四", unit=department.unit, password="123")
    assert not AuditEntry.objects.filter(action="org.staff.create").exists()


def test_set_roles_refuses_second_admin_role_and_keeps_the_first() -> None:
    department = DepartmentFactory()
    staff = staff_create(
        username="wangwu", full_name="王五", unit=department.unit, roles=["sysadmin"]
    )
    with pytest.raises(DomainError):
        staff_set_roles(staff=staff, roles=["sysadmin", "secadmin"], by=None)
    assert set(staff.user.groups.values_list("name", flat=True)) == {"sysadmin"}
    staff_set_roles(staff=staff, roles=["handler"], by=None)
    staff.user.refresh_from_db()
    assert not staff.user.is_staff
    assert AuditEntry.objects.filter(action="org.staff.set_roles").count() == 1


def test_department_of_other_unit_is_refused() -> None:
    with pytest.raises(DomainError):
        staff_create(
            username="x1", full_name="甲", unit=UnitFactory(), department=DepartmentFactory()
        )


def test_post_holders_must_be_two_people() -> None:
    staff = StaffFactory()
    with pytest.raises(DomainError):
        post_save_holders(
            department=staff.department, name="岗", a_holder=staff, b_holder=staff, by=None
        )


def test_database_also_refuses_a_equal_b() -> None:
    staff = StaffFactory()
    with pytest.raises(IntegrityError):
        PostFactory(department=staff.department, a_holder=staff, b_holder=staff)


def test_post_save_holders_updates_and_audits() -> None:
    department = DepartmentFactory()
    a, b, c = (StaffFactory(department=department) for _ in range(3))
    post = post_save_holders(department=department, name="岗", a_holder=a, b_holder=b, by=None)
    post_save_holders(department=department, name="岗", a_holder=a, b_holder=c, by=None)
    assert Post.objects.get(pk=post.pk).b_holder == c
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["org.post.create", "org.post.update"]


@pytest.fixture
def ab_post():
    department = DepartmentFactory()
    department.head = StaffFactory(department=department)
    department.save()
    return PostFactory(
        department=department,
        name="投诉办理岗",
        a_holder=StaffFactory(department=department),
        b_holder=StaffFactory(department=department),
    )


def test_absence_of_b_while_a_is_away_is_refused(ab_post) -> None:
    absence_record(
        staff=ab_post.a_holder,
        starts_at=NOW,
        ends_at=NOW + timedelta(days=3),
        kind="leave",
        by=None,
    )
    with pytest.raises(DomainError, match="投诉办理岗"):
        absence_record(
            staff=ab_post.b_holder,
            starts_at=NOW + timedelta(days=2),
            ends_at=NOW + timedelta(days=5),
            kind="training",
            by=None,
        )
    assert Absence.objects.count() == 1


def test_absence_of_both_allowed_when_head_covers(ab_post) -> None:
    absence_record(
        staff=ab_post.a_holder,
        starts_at=NOW,
        ends_at=NOW + timedelta(days=3),
        kind="leave",
        by=None,
    )
    absence = absence_record(
        staff=ab_post.b_holder,
        starts_at=NOW,
        ends_at=NOW + timedelta(days=1),
        kind="business_trip",
        head_covers=True,
        by=None,
    )
    assert absence.head_covers
    assert AuditEntry.objects.filter(action="org.absence.record").count() == 2


def test_head_cover_needs_a_head(ab_post) -> None:
    department = ab_post.department
    department.head = None
    department.save()
    absence_record(
        staff=ab_post.a_holder,
        starts_at=NOW,
        ends_at=NOW + timedelta(days=3),
        kind="leave",
        by=None,
    )
    with pytest.raises(DomainError):
        absence_record(
            staff=ab_post.b_holder,
            starts_at=NOW,
            ends_at=NOW + timedelta(days=1),
            kind="leave",
            head_covers=True,
            by=None,
        )


def test_non_overlapping_absences_are_fine(ab_post) -> None:
    absence_record(
        staff=ab_post.a_holder,
        starts_at=NOW,
        ends_at=NOW + timedelta(days=1),
        kind="leave",
        by=None,
    )
    absence_record(
        staff=ab_post.b_holder,
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=2),
        kind="leave",
        by=None,
    )
    assert Absence.objects.count() == 2


def test_absence_must_end_after_start(ab_post) -> None:
    with pytest.raises(DomainError):
        absence_record(staff=ab_post.a_holder, starts_at=NOW, ends_at=NOW, kind="leave", by=None)
