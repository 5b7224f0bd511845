"""Which time-limit policy a new case runs on, from its channel and kind."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Channel, Kind
from xiaoneng.catalog.models import PolicyVersion
from xiaoneng.catalog.selectors import policy_current_version
from xiaoneng.errors import DomainError, lazy_format

_BY_CHANNEL = {
    Channel.EFFICIENCY_OFFICE: "efficiency-referral",
    Channel.PETITION: "petition",
    Channel.DEPUTY: "deputy-proposal",
    Channel.CPPCC: "deputy-proposal",
}
_QUICK_KINDS = {Kind.INQUIRY, Kind.HELP, Kind.PRAISE}


def policy_code_for(*, channel: str, kind: str) -> str:
    if channel in _BY_CHANNEL:
        return _BY_CHANNEL[channel]
    if kind == Kind.APPLICATION:
        return "admin-licence"
    return "hotline-consult" if kind in _QUICK_KINDS else "hotline-complaint"


def policy_for(*, channel: str, kind: str) -> PolicyVersion:
    code = policy_code_for(channel=channel, kind=kind)
    version = policy_current_version(code=code)
    if version is None:
        raise DomainError(
            lazy_format(
                _("The time-limit policy %(code)s is missing; ask the system administrator."),
                {"code": code},
            )
        )
    return version
