"""三员分立 and production settings: system checks, and `check --deploy` clean in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory
from xiaoneng.audit.keys import new_audit_key, signing_key_pair_write
from xiaoneng.errors import DomainError
from xiaoneng.org.checks import (
    check_administrator_roles_separated,
    check_no_superuser_in_production,
)
from xiaoneng.org.services import roles_validate

pytestmark = pytest.mark.django_db
XIAONENG = Path(sys.executable).with_name("xiaoneng")


def test_production_refuses_a_superuser(settings, demo_org) -> None:
    UserFactory(username="root", is_superuser=True)
    settings.PRODUCTION = False
    assert check_no_superuser_in_production(databases=["default"]) == []
    settings.PRODUCTION = True
    errors = check_no_superuser_in_production(databases=["default"])
    assert [error.id for error in errors] == ["xiaoneng.E001"]
    assert "root" in errors[0].msg


def test_production_refuses_two_administrator_roles_on_one_person(settings, demo_org) -> None:
    settings.PRODUCTION = True
    assert check_administrator_roles_separated(databases=["default"]) == []
    both = UserFactory(username="both")
    both.groups.set(Group.objects.filter(name__in=["sysadmin", "auditor"]))
    errors = check_administrator_roles_separated(databases=["default"])
    assert [error.id for error in errors] == ["xiaoneng.E002"]


def test_services_refuse_two_administrator_roles() -> None:
    with pytest.raises(DomainError):
        roles_validate(["sysadmin", "secadmin"])
    assert roles_validate(["sysadmin", "handler"])


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL", "XIAONENG_ENV"}
    }
    env.update(
        XIAONENG_ENV="production",
        SECRET_KEY="k" * 20 + "Q7#pXz9!vL2@mN5$wR8^tY1&uI4*oP6(aS3)dF0" + "z" * 10,
        ALLOWED_HOSTS="xiaoneng.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        XIAONENG_DATA_DIR=str(tmp_path),
        XIAONENG_DATA_KEYS="k1:" + "A" * 43 + "=",
        XIAONENG_AUDIT_KEY=new_audit_key(),
        XIAONENG_AUDIT_SIGNING_KEY_FILE=str(tmp_path / "audit-signing.pem"),
        XIAONENG_CACHE_URL="redis://127.0.0.1:6379/0",
    )
    env.update(extra)
    if not (tmp_path / "audit-signing.pem").exists():
        signing_key_pair_write(tmp_path / "audit-signing.pem")
    return env


def _xiaoneng(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The command in production mode, with ``env`` over the production settings."""
    return subprocess.run(
        [str(XIAONENG), *args],
        env=_production_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    result = _xiaoneng(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_the_rate_limits_are_counted_per_process(
    tmp_path: Path,
) -> None:
    result = _xiaoneng(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", XIAONENG_CACHE_URL=""
    )
    assert result.returncode != 0
    assert "xiaoneng.W012" in result.stdout + result.stderr
    assert "XIAONENG_CACHE_URL" in result.stdout + result.stderr


def test_check_deploy_refuses_production_without_a_data_key(tmp_path: Path) -> None:
    result = _xiaoneng(tmp_path, "check", "--deploy", XIAONENG_DATA_KEYS="")
    assert result.returncode != 0
    assert "xiaoneng.E010" in result.stdout + result.stderr


def test_audit_retention_below_six_months_is_refused(tmp_path: Path) -> None:
    result = _xiaoneng(tmp_path, "check", XIAONENG_AUDIT_RETENTION_DAYS="90")
    assert result.returncode == 2
    assert "XIAONENG_AUDIT_RETENTION_DAYS must be at least 180" in result.stderr
    assert "Traceback" not in result.stderr
