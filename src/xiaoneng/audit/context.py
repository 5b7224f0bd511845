"""Who is acting, from where, in which request: set by the middleware, read by log_action."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any, Protocol


class Principal(Protocol):
    """Whoever a request or a service acts as, as the audit trail sees it: a signed-in user, the
    anonymous one, or any object with these members (audit sits below org and cannot name
    ``org.models.User``; above it the acting user is ``xiaoneng.org.actors.Actor``)."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    def get_username(self) -> str: ...


@dataclass(frozen=True)
class ActionContext:
    request_id: str = ""
    ip: str | None = None
    user: Principal | None = None


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
