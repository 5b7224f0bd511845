"""System checks for personal data at rest: production refuses to start without a data key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
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
