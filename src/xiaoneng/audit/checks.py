"""System checks for the audit keys: production refuses to run without them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from xiaoneng.audit.keys import audit_keyring, configured_signing_key


@register(Tags.security)
def check_audit_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    try:
        audit_keyring()
    except ImproperlyConfigured as exc:
        messages.append(
            Error(
                f"The audit chain has no usable key: {exc}",
                hint="Set XIAONENG_AUDIT_KEY or XIAONENG_AUDIT_KEY_FILE to a key made with "
                "`xiaoneng audit keygen`, kept outside the database (docs/security.md).",
                id="xiaoneng.E020",
            )
        )
    return messages + _signing_key_messages()


@register(Tags.security, deploy=True)
def check_audit_key_not_derived(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Only with --deploy: every development command would repeat it otherwise."""
    try:
        derived = audit_keyring().derived
    except ImproperlyConfigured:
        return []  # E020 says it.
    if not derived:
        return []
    return [
        Warning(
            "The audit chain key is derived from SECRET_KEY (development only): whoever has "
            "the data folder can rewrite the audit log unnoticed.",
            hint="Set XIAONENG_AUDIT_KEY or XIAONENG_AUDIT_KEY_FILE (docs/security.md).",
            id="xiaoneng.W020",
        )
    ]


def _signing_key_messages() -> list[CheckMessage]:
    try:
        configured = configured_signing_key() is not None
    except ImproperlyConfigured as exc:
        return [Error(f"The audit signing key is not usable: {exc}", id="xiaoneng.E021")]
    if configured or not settings.PRODUCTION:
        return []
    return [
        Error(
            "XIAONENG_AUDIT_SIGNING_KEY_FILE must be set in production mode: without signed "
            "checkpoints, rows cut off the end of the audit log go unnoticed.",
            hint="Make a key pair with `xiaoneng audit keygen --signing PATH` (docs/security.md).",
            id="xiaoneng.E021",
        )
    ]
