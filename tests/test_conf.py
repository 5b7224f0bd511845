"""Typed environment settings, and the `xiaoneng` command's one-line errors for operators."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from xiaoneng import conf

ROOT = Path(__file__).resolve().parent.parent


def test_env_bool(monkeypatch) -> None:
    monkeypatch.setenv("X_FLAG", "yes")
    assert conf.env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG must be true or false"):
        conf.env_bool("X_FLAG", False)


def test_env_int(monkeypatch) -> None:
    monkeypatch.setenv("X_INT", "12")
    assert conf.env_int("X_INT", 1) == 12
    monkeypatch.setenv("X_INT", "twelve")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        conf.env_int("X_INT", 1)
    monkeypatch.setenv("X_INT", "3")
    with pytest.raises(ImproperlyConfigured, match="at least 5"):
        conf.env_int("X_INT", 10, minimum=5)


def test_env_choice_and_list(monkeypatch) -> None:
    monkeypatch.setenv("X_MODE", "prod")
    with pytest.raises(ImproperlyConfigured, match="one of embedded, production"):
        conf.env_choice("X_MODE", ("embedded", "production"), "embedded")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert conf.env_list("X_LIST", []) == ["a", "b", "c"]


def test_secret_key_generated_once_in_embedded_mode(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = conf.secret_key(production=False, data_dir=tmp_path)
    assert len(first) > 50
    assert conf.secret_key(production=False, data_dir=tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_secret_key_required_in_production(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        conf.secret_key(production=True, data_dir=tmp_path)


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-m", "xiaoneng.cli", *args],
        env={**clean, "PYTHONPATH": str(ROOT / "src"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_bad_environment_value_is_one_line(tmp_path) -> None:
    result = run_cli("check", XIAONENG_ENV="prod", XIAONENG_DATA_DIR=str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "xiaoneng: configuration error: XIAONENG_ENV must be one of embedded, production "
        "(got 'prod')."
    )


def test_cli_missing_production_secret_is_one_line(tmp_path) -> None:
    result = run_cli(
        "check", XIAONENG_ENV="production", ALLOWED_HOSTS="x", XIAONENG_DATA_DIR=str(tmp_path)
    )
    assert result.returncode == 2
    assert "SECRET_KEY must be set in production mode" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_unreachable_database_is_one_line(tmp_path) -> None:
    result = run_cli(
        "migrate",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        XIAONENG_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 3
    assert "the database cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_bad_database_url_is_one_line(tmp_path) -> None:
    result = run_cli("check", DATABASE_URL="mysql2://x/y", XIAONENG_DATA_DIR=str(tmp_path))
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr


def test_cli_cache_url_must_be_redis(tmp_path) -> None:
    result = run_cli(
        "check", XIAONENG_CACHE_URL="memcached://x:11211", XIAONENG_DATA_DIR=str(tmp_path)
    )
    assert result.returncode == 2
    assert "XIAONENG_CACHE_URL must be a Redis URL" in result.stderr


def test_shared_cache_from_a_redis_url(tmp_path) -> None:
    """With XIAONENG_CACHE_URL the server's processes share one Redis cache (rate limits and
    tracking pages); without it each keeps its own in memory."""
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "c = settings.CACHES['default']; print(c['BACKEND'], c.get('LOCATION', ''))"
    )
    env = {k: v for k, v in os.environ.items() if k != "XIAONENG_CACHE_URL"}
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        XIAONENG_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="xiaoneng.settings",
    )
    shared = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "XIAONENG_CACHE_URL": "redis://127.0.0.1:6379/3"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shared.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3",
    ]
    own = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert own.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache"]
