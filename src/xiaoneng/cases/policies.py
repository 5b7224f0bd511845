"""Which time-limit policy a new case runs on, from its channel and kind (DESIGN.md §5).

Statutory and referral channels carry their own rules whatever the kind; a request made to the
bureau itself (a call, a visit, a letter, the portal, an interface client) runs on the bureau's
own commitments, split like the hotline's into quick matters and complaints; an application
runs on the administrative-licence rule.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Channel, Kind
from xiaoneng.catalog.models import PolicyVersion
from xiaoneng.catalog.selectors import policy_current_version
from xiaoneng.errors import DomainError, lazy_format
from xiaoneng.workdays.calendar import config_cached

# Channels whose rule applies to every kind of request they bring.
_BY_CHANNEL = {
    Channel.EFFICIENCY_OFFICE: "efficiency-referral",
    Channel.SUPERVISION: "efficiency-referral",
    Channel.PETITION: "petition",
    Channel.DEPUTY: "deputy-proposal",
    Channel.CPPCC: "deputy-proposal",
}
# The 12345 centre's referrals run on its rules; everything else reached the bureau directly.
_HOTLINE_CHANNELS = {Channel.HOTLINE}
_QUICK_KINDS = {Kind.INQUIRY, Kind.HELP, Kind.PRAISE}


URGENT_POLICY = "urgent"


def policy_code_for(*, channel: str, kind: str, urgent: bool = False) -> str:
    """An urgent request runs on the hour-level urgent policy (2 hours to sign for, any time of
    day) whatever its channel; an application never is urgent."""
    if urgent and kind != Kind.APPLICATION:
        return URGENT_POLICY
    if channel in _BY_CHANNEL:
        return _BY_CHANNEL[channel]
    if kind == Kind.APPLICATION:
        return "admin-licence"
    family = "hotline" if channel in _HOTLINE_CHANNELS else "bureau"
    return f"{family}-consult" if kind in _QUICK_KINDS else f"{family}-complaint"


def policy_for(*, channel: str, kind: str, urgent: bool = False) -> PolicyVersion:
    code = policy_code_for(channel=channel, kind=kind, urgent=urgent)
    # Cached per process until a policy changes (cases/config_cache.py): every case reads it.
    version = config_cached(("cases.policy", code), lambda: policy_current_version(code=code))
    if version is None:
        raise DomainError(
            lazy_format(
                _("The time-limit policy %(code)s is missing; ask the system administrator."),
                {"code": code},
            )
        )
    return version
