"""Domain errors: exceptions whose message is fit to show a user, in the active language."""

from __future__ import annotations

from django.utils.functional import Promise


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
