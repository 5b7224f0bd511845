"""Reading past referral imports: the efficiency office sees all, an intake officer their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import user_roles
from xiaoneng.referrals.models import ReferralImport

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def imports_visible_to(user: User) -> QuerySet[ReferralImport]:
    imports = ReferralImport.objects.select_related("created_by")
    if Role.EFFICIENCY_OFFICE in user_roles(user):
        return imports
    return imports.filter(created_by=user)


def import_for_user(user: User, pk: int) -> ReferralImport:
    """One import, or 404 when it is not the user's to see."""
    record = imports_visible_to(user).filter(pk=pk).first()
    if record is None:
        raise Http404
    return record
