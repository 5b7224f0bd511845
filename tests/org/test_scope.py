"""org.scope: roles held, departments headed, and a department scope over any model."""

from __future__ import annotations

import pytest
from django.db.models import Q

from xiaoneng.org.models import Department, Staff
from xiaoneng.org.roles import Role
from xiaoneng.org.scope import department_scope, has_any_role, headed_department_ids

pytestmark = pytest.mark.django_db


def test_has_any_role(users) -> None:
    assert has_any_role(users["leader"], {Role.LEADER, Role.INSPECTOR})
    assert has_any_role(users["leader"], (Role.LEADER,))
    assert not has_any_role(users["leader"], [Role.HANDLER])
    assert not has_any_role(users["leader"], ())


def test_department_scope_covers_own_and_headed_departments(demo_org) -> None:
    head = Staff.objects.filter(headed_departments__isnull=False).distinct().first()
    headed = headed_department_ids(head)
    assert headed
    assert headed_department_ids(None) == []
    other = Department.objects.exclude(pk__in=headed).exclude(pk=head.department_id).first()
    # The given scope (one other department), widened by the head's own and headed ones.
    scope = department_scope(head, Q(pk=other.pk), field="pk")
    found = set(Department.objects.filter(scope).values_list("pk", flat=True))
    expected = {other.pk, *headed} | ({head.department_id} if head.department_id else set())
    assert found == expected
