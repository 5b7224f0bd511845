"""What the evaluation services share: the role check and the acting staff member."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from xiaoneng.errors import PermissionDenied
from xiaoneng.org.models import Staff
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import require_staff, user_roles

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def require_role(user: User, *roles: Role) -> Staff:
    """The user's staff record, when they hold one of ``roles``; refused otherwise."""
    if not user_roles(user) & {str(role) for role in roles}:
        raise PermissionDenied(_("Your role does not allow this action."))
    return require_staff(user)
