"""The services of internal matters, re-exported from their modules."""

from __future__ import annotations

from xiaoneng.internal.services.limits import (
    matter_extension_decide,
    matter_extension_request,
    matter_supervise,
)
from xiaoneng.internal.services.requests import (
    matter_ask,
    matter_confirm,
    matter_draft,
    matter_signoff,
)
from xiaoneng.internal.services.routing import (
    matter_complete,
    matter_register,
    matter_reroute_decide,
    matter_reroute_request,
    matter_route,
    matter_sign,
)

__all__ = [
    "matter_ask",
    "matter_complete",
    "matter_confirm",
    "matter_draft",
    "matter_extension_decide",
    "matter_extension_request",
    "matter_register",
    "matter_reroute_decide",
    "matter_reroute_request",
    "matter_route",
    "matter_sign",
    "matter_signoff",
    "matter_supervise",
]
