"""Words for the timeline: each event action as a person would say it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.states import ACTION_LABELS

EVENT_LABELS = {
    **ACTION_LABELS,
    "register": _("Registered"),
    "reply": _("Reply sent"),
    "reply_drafted": _("Reply drafted, awaiting the head's review"),
    "reply_returned": _("Reply sent back by the head"),
    "reply_draft_saved": _("Reply saved as a draft"),
    "reply_recalled": _("Reply recalled before the head's review"),
    "accept_return": _("Return accepted, case redispatched"),
    "reject_return": _("Return rejected"),
    "approve_extension": _("Extension approved"),
    "reject_extension": _("Extension rejected"),
    "signal_prewarn": _("Pre-warning raised"),
    "signal_yellow": _("Yellow card raised"),
    "signal_red": _("Red card raised"),
    "assist_silent": _("Assisting department silent: counted as agreement"),
    "close_unrated": _("Closed without a rating"),
    "merged_in": _("Another case merged into this one"),
    "attach": _("Attachment added"),
    "extension_withdrawn": _("Extension request withdrawn"),
    "return_withdrawn": _("Return request withdrawn"),
    "assist_withdrawn": _("Assisting opinion no longer asked"),
    "mark_urgent": _("Marked urgent"),
    "urgent_alert": _("Urgent request: alert sent"),
    "urgent_escalated": _("Alert not acknowledged in time: passed on"),
    "urgent_acknowledged": _("Alert acknowledged"),
    "incident_opened": _("Turned into an incident"),
    "repeat_alert": _("Repeat complaint: linked to an earlier case"),
}

CAPACITY_LABELS = {
    "a": _("as A holder"),
    "b": _("as B holder, standing in for the A holder"),
    "head": _("as department head"),
}


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))
