"""What an integration client may be allowed to do."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SCOPES = {
    "cases:create": _("register cases"),
    "cases:read": _("read cases (of its unit when the client has one)"),
    "cases:act": _("take lifecycle actions on cases"),
    "cases:reveal": _("reveal a requester's personal data, with a reason (audited)"),
    "catalog:read": _("read units, departments, categories and published service guides"),
    "notifications:read": _("read and acknowledge its service account's messages"),
    "metrics:read": _("read metrics and scorecards"),
}

# Roles a service account may hold: never an administrator role (三员分立).
SERVICE_ROLES = ("intake", "handler", "dept_head", "efficiency_office")
