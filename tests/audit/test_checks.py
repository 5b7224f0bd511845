"""Production refuses to run without the audit keys; development warns about its derived key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from xiaoneng.audit.checks import check_audit_key_not_derived, check_audit_keys
from xiaoneng.audit.keys import new_audit_key, signing_key_pair_write


def ids(settings) -> list[str]:
    messages = check_audit_keys() + check_audit_key_not_derived()
    return [message.id for message in messages]


def test_production_without_keys_is_an_error(settings) -> None:
    settings.PRODUCTION = True
    settings.XIAONENG_AUDIT_KEY = settings.XIAONENG_AUDIT_KEY_FILE = ""
    settings.XIAONENG_AUDIT_SIGNING_KEY_FILE = ""
    assert ids(settings) == ["xiaoneng.E020", "xiaoneng.E021"]


def test_production_with_both_keys_is_clean(settings, tmp_path: Path) -> None:
    settings.PRODUCTION = True
    settings.XIAONENG_AUDIT_KEY, settings.XIAONENG_AUDIT_KEY_FILE = new_audit_key(), ""
    settings.XIAONENG_AUDIT_SIGNING_KEY_FILE = str(tmp_path / "signing.pem")
    signing_key_pair_write(tmp_path / "signing.pem")
    assert ids(settings) == []


def test_unreadable_or_wrong_keys_are_errors(settings, tmp_path: Path) -> None:
    settings.PRODUCTION = True
    settings.XIAONENG_AUDIT_KEY, settings.XIAONENG_AUDIT_KEY_FILE = "too-short", ""
    (tmp_path / "public.pem").write_text("not a key")
    settings.XIAONENG_AUDIT_SIGNING_KEY_FILE = str(tmp_path / "public.pem")
    assert ids(settings) == ["xiaoneng.E020", "xiaoneng.E021"]


@pytest.mark.parametrize("configured", [False, True])
def test_development_warns_about_the_derived_key(settings, configured: bool) -> None:
    settings.PRODUCTION = False
    settings.XIAONENG_AUDIT_KEY = new_audit_key() if configured else ""
    settings.XIAONENG_AUDIT_KEY_FILE = settings.XIAONENG_AUDIT_SIGNING_KEY_FILE = ""
    assert ids(settings) == ([] if configured else ["xiaoneng.W020"])


def test_check_deploy_refuses_production_without_audit_keys(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XIAONENG_", "DATABASE_"))}
    env.update(
        PYTHONPATH=str(root / "src"),
        XIAONENG_ENV="production",
        SECRET_KEY="s" * 20 + "Q7#pXz9!vL2@mN5$wR8^tY1&uI4*oP6(aS3)dF0" + "z" * 10,
        ALLOWED_HOSTS="xiaoneng.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        XIAONENG_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-m", "xiaoneng.cli", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "xiaoneng.E020" in result.stderr
    assert "xiaoneng.E021" in result.stderr
