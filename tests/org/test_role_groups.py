"""The role groups follow ROLE_PERMISSIONS after migrations and after every flush."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoneng.org.roles import ROLE_PERMISSIONS, Role, sync_role_groups


def _granted() -> dict[str, set[str]]:
    return {
        group.name: {
            f"{perm.content_type.app_label}.{perm.codename}" for perm in group.permissions.all()
        }
        for group in Group.objects.prefetch_related("permissions__content_type")
    }


def _expected() -> dict[str, set[str]]:
    return {role.value: set(perms) for role, perms in ROLE_PERMISSIONS.items()}


@pytest.mark.django_db
def test_every_role_has_a_group_with_exactly_its_permissions() -> None:
    assert _granted() == _expected()


@pytest.mark.django_db
def test_sync_restores_a_changed_group_and_a_deleted_one() -> None:
    Group.objects.get(name=Role.AUDITOR.value).permissions.clear()
    Group.objects.get(name=Role.LEADER.value).delete()
    sync_role_groups()
    assert _granted() == _expected()


@pytest.mark.django_db
def test_only_the_last_apps_signal_syncs_and_it_takes_few_queries() -> None:
    """post_migrate is sent once per app; the groups are synced for the last one only."""
    configs = [config for config in apps.get_app_configs() if config.models_module]
    Group.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        sync_role_groups(sender=configs[0])
    assert len(queries) == 0
    assert not Group.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        sync_role_groups(sender=configs[-1])
    assert _granted() == _expected()
    assert len(queries) <= 3 + 3 * len(Role)


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_groups_in_place() -> None:
    call_command("flush", "--noinput", verbosity=0)
    assert _granted() == _expected()
