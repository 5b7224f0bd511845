"""The words of a matter's timeline (no raw codes on pages)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "registered": _("Registered"),
    "routed": _("Routed to the lead department"),
    "rerouted": _("Re-routed to another department"),
    "signed": _("Signed for"),
    "signed_late": _("Signed for after the deadline"),
    "reroute_requested": _("Asked 办公室 to re-route"),
    "reroute_refused": _("Re-route refused (推诿扯皮 recorded)"),
    "completed": _("Reported done"),
    "completed_late": _("Reported done after the deadline"),
    "asked": _("Request sent"),
    "drafted": _("Reply drafted"),
    "head_signed": _("Signed off by the head"),
    "head_returned": _("Returned by the head"),
    "leader_signed": _("Signed off by the leader"),
    "leader_returned": _("Returned by the leader"),
    "replied": _("Reply returned to the asker"),
    "replied_late": _("Reply returned after the limit"),
    "confirmed": _("Receipt confirmed"),
    "extension_requested": _("Extension requested"),
    "extension_granted": _("Extension granted"),
    "extension_refused": _("Extension refused"),
    "supervised": _("Put under supervision"),
    "card_prewarn": _("Pre-warning"),
    "card_yellow": _("Yellow card"),
    "card_red": _("Red card"),
}


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))
