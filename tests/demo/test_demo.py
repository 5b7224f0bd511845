"""The demo organisation: complete, one login per role, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from xiaoneng.audit.models import AuditEntry
from xiaoneng.audit.selectors import audit_chain_verify
from xiaoneng.demo import data
from xiaoneng.demo.services import demo_load
from xiaoneng.org.models import Department, Post, Unit, User
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import Capacity, post_acting_holder

pytestmark = pytest.mark.django_db


def test_bureau_departments_and_six_schools(demo_org) -> None:
    bureau = Unit.objects.get(code="bureau")
    names = set(bureau.departments.values_list("name", flat=True))
    assert {"办公室", "效能办", "监察室", "信访办", "学生资助管理中心"} <= names
    assert len(names) == 14
    schools = Unit.objects.filter(kind=Unit.Kind.SCHOOL, parent=bureau)
    assert schools.count() == 6
    for school in schools:
        assert school.departments.count() == len(data.SCHOOL_OFFICES)


def test_every_role_has_a_demo_login(demo_org) -> None:
    held = set(User.objects.values_list("groups__name", flat=True))
    assert {role.value for role in Role} <= held


def test_posts_have_distinct_a_and_b_holders_who_act(demo_org) -> None:
    from django.utils import timezone

    for post in Post.objects.select_related("department__head"):
        assert post.a_holder_id
        assert post.b_holder_id
        assert post.a_holder_id != post.b_holder_id
        assert post_acting_holder(post=post, at=timezone.now()).capacity is Capacity.A_HOLDER


def test_every_demo_post_has_an_english_name(demo_org) -> None:
    assert Post.objects.exists()
    assert not Post.objects.filter(name_en="").exists()


def test_loading_twice_changes_nothing(demo_org) -> None:
    counts = (Unit.objects.count(), Department.objects.count(), User.objects.count())
    audit_rows = AuditEntry.objects.count()
    demo_load()
    assert (Unit.objects.count(), Department.objects.count(), User.objects.count()) == counts
    assert AuditEntry.objects.count() == audit_rows
    assert audit_chain_verify().ok


def test_command_prints_logins_and_first_run_skips(db, capsys) -> None:
    # A handful of history cases keeps this test quick; the history itself is tested elsewhere.
    call_command("demo", "--first-run", "--cases", "5")
    out = capsys.readouterr().out
    assert data.DEMO_PASSWORD in out
    assert "auditor" in out
    call_command("demo", "--first-run", "--cases", "5")
    assert "已加载" in capsys.readouterr().out
