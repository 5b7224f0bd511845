"""Who acts in a service call.

Every service takes the acting user as the keyword ``by``. It is a signed-in ``User``, or
``None`` when the system acts on its own (a sweep, a periodic task, the demo builder). A service
that needs a person (a permission check, a post) takes ``by: User``; one that also runs for the
system takes ``by: Actor``. Views pass ``request.user`` behind a sign-in check, so it is a
``User`` there. The ground modules below org (audit) cannot import this module: they take any
``audit.context.Principal``.
"""

from __future__ import annotations

from typing import TypeAlias

from xiaoneng.org.models import User

Actor: TypeAlias = User | None
"""The acting user: a signed-in user, or ``None`` for the system itself."""

__all__ = ["Actor", "User"]
