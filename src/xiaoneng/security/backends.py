"""The lockout backend: django-axes, except where there is no HTTP request to count."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Axes refuses ``authenticate()`` without a request; sign-ins from the web always carry
    one (our login view and the admin's both pass it). Calls without a request come from code
    (management commands, the test client) where there is no client address to lock, so this
    backend simply does not take part; the password backend after it still checks the
    password."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
