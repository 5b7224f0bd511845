"""Typed readers for settings taken from the environment.

Every reader fails loudly with one line that names the variable and says what to fix, so an
operator never meets a traceback for a typo in a unit file.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"{name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {raw!r}).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r}).") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum} (got {value}).")
    return value


def env_list(name: str, default: Sequence[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, choices: Sequence[str], default: str) -> str:
    value = os.environ.get(name, default).strip()
    if value not in choices:
        allowed = ", ".join(choices)
        raise ImproperlyConfigured(f"{name} must be one of {allowed} (got {value!r}).")
    return value


def secret_key(*, production: bool, data_dir: Path) -> str:
    """Return SECRET_KEY; in embedded mode generate it once and keep it in the data folder."""
    value = os.environ.get("SECRET_KEY", "").strip()
    if value:
        if production and len(value) < 50:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")
        return value
    if production:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in production mode (XIAONENG_ENV=production)."
        )
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(64)
    key_file.write_text(value)
    key_file.chmod(0o600)
    return value


def env_networks(name: str) -> list[str]:
    """A comma-separated list of IP addresses or networks (``127.0.0.1, 10.0.0.0/8``)."""
    import ipaddress

    values = env_list(name, [])
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks such as 127.0.0.1 or 10.0.0.0/8 "
                f"(got {value!r})."
            ) from None
    return values
