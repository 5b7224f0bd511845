"""System checks for personal data at rest (production refuses to start without a data key)
and for the portal's rate limits (counted per process without a shared cache)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from xiaoneng.fieldcrypt.datakeys import configured_keys


@register(Tags.security)
def check_personal_data_key(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        keys = configured_keys()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="xiaoneng.E011")]
    if keys or not settings.PRODUCTION:
        return []
    return [
        Error(
            "No personal-data key: set XIAONENG_DATA_KEYS or XIAONENG_DATA_KEY_FILE.",
            hint="Generate one with `xiaoneng data-keys generate` and keep it outside the "
            "database and its backups (docs/security.md, Personal data at rest).",
            id="xiaoneng.E010",
        )
    ]


@register(Tags.security, deploy=True)
def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """The portal's rate limits live in the cache: with each server process keeping its own,
    every worker counts its own lookups, and five workers allow five times the limit."""
    if not settings.PRODUCTION or settings.XIAONENG_CACHE_URL:
        return []
    return [
        Warning(
            "No shared cache: the portal's rate limits are counted by each server process "
            "on its own.",
            hint="Set XIAONENG_CACHE_URL to a Redis URL so every process counts together "
            "(docs/operations.md).",
            id="xiaoneng.W012",
        )
    ]
