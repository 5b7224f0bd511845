"""Domain errors: exceptions whose message is fit to show a user, in the active language."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise, lazy
from django.utils.translation import override


class DomainError(Exception):
    """A rule of the domain refused an action; ``message`` is a lazily translated string."""

    def __init__(self, message: str | Promise, *, code: str = "domain_error") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class PermissionDenied(DomainError):
    """The actor may not take this action on this object."""

    def __init__(self, message: str | Promise, *, code: str = "permission_denied") -> None:
        super().__init__(message, code=code)


def _format(template: str | Promise, params: dict[str, Any]) -> str:
    return str(template) % params


# ``_("… %(x)s …") % params`` would fix the text in the language active when the error is
# raised; this keeps it lazy, so the API can render one error in Chinese and in English.
lazy_format = lazy(_format, str)


def _in(language: str | None, message: str | Promise) -> str:
    if language is None:
        return str(message)
    with override(language):
        return str(message)


def error_body(
    code: str, message: str | Promise, fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The one body of an error answer (the API's and the portal's open-data endpoints'):
    ``code``, the (lazily translated) message in the active language, Chinese and English,
    and each field's problem in the active language."""
    return {
        "code": code,
        "message": _in(None, message),
        "message_zh": _in("zh-hans", message),
        "message_en": _in("en", message),
        "fields": {name: _in(None, text) for name, text in (fields or {}).items()},
    }
