"""Who is acting, from where, in which request: set by the middleware, read by log_action."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ActionContext:
    request_id: str = ""
    ip: str | None = None
    user: Any = None


_EMPTY = ActionContext()
_current: contextvars.ContextVar[ActionContext | None] = contextvars.ContextVar(
    "xiaoneng_action_context", default=None
)


def current_context() -> ActionContext:
    return _current.get() or _EMPTY


def set_context(context: ActionContext) -> contextvars.Token:
    return _current.set(context)


def reset_context(token: contextvars.Token) -> None:
    _current.reset(token)
