"""Template context: the signed-in person's unread inbox count, counted only when shown."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, empty

from xiaoneng.notify.selectors import inbox_unread_count


class LazyCount(SimpleLazyObject):
    """An int computed on first use (one COUNT query), usable in ``{% if %}``, ``{{ }}``, int()."""

    def __int__(self) -> int:
        if self._wrapped is empty:
            self._setup()
        return int(self._wrapped)

    __index__ = __int__


def unread_count(request: HttpRequest) -> dict[str, Any]:
    """``inbox_unread``: the number of unread in-app messages (0 for anonymous visitors)."""
    return {
        "inbox_unread": LazyCount(lambda: inbox_unread_count(user=getattr(request, "user", None)))
    }
