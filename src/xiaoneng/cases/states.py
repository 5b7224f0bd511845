"""The case lifecycle of DESIGN.md §4: states, and which action may leave which state."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    RETURN_REQUESTED = "return_requested", _("Return requested")
    SUSPENDED = "suspended", _("Suspended")
    REPLIED = "replied", _("Replied")
    REOPEN_REVIEW = "reopen_review", _("Reopen review")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    INVALID = "invalid", _("Invalid")
    MERGED = "merged", _("Merged")


OPEN_STATES = frozenset(
    {
        State.REGISTERED,
        State.DISPATCHED,
        State.IN_PROGRESS,
        State.RETURN_REQUESTED,
        State.SUSPENDED,
        State.REPLIED,
        State.REOPEN_REVIEW,
    }
)
# The same list, in a fixed order, wherever a query must match the partial index on open cases.
OPEN_STATE_VALUES = sorted(str(state) for state in OPEN_STATES)
FINAL_STATES = frozenset({State.CLOSED, State.WITHDRAWN, State.INVALID, State.MERGED})

# action -> states it may start from
ALLOWED_FROM: dict[str, frozenset[State]] = {
    # Taking a case from the intake pool; the state stays, the first contact is set.
    "accept": frozenset({State.REGISTERED}),
    "answer_directly": frozenset({State.REGISTERED}),
    "dispatch": frozenset({State.REGISTERED}),
    "sign_for": frozenset({State.DISPATCHED}),
    "assign_handler": frozenset({State.IN_PROGRESS, State.SUSPENDED}),
    # An assisting opinion stays open while a return is arbitrated (docs/cases.md).
    "assist_opinion": frozenset(
        {State.DISPATCHED, State.IN_PROGRESS, State.SUSPENDED, State.RETURN_REQUESTED}
    ),
    "request_return": frozenset({State.DISPATCHED, State.IN_PROGRESS}),
    "decide_return": frozenset({State.RETURN_REQUESTED}),
    "request_extension": frozenset({State.IN_PROGRESS, State.SUSPENDED}),
    "decide_extension": frozenset({State.IN_PROGRESS, State.SUSPENDED}),
    "suspend": frozenset({State.IN_PROGRESS}),
    "resume": frozenset({State.SUSPENDED}),
    # A draft may be written while the case waits (suspended) and sent once it runs again.
    "save_reply_draft": frozenset({State.IN_PROGRESS, State.SUSPENDED}),
    "reply": frozenset({State.IN_PROGRESS}),
    "recall_reply": frozenset({State.IN_PROGRESS}),
    "review_reply": frozenset({State.IN_PROGRESS}),
    "rate": frozenset({State.REPLIED}),
    "reopen": frozenset({State.REOPEN_REVIEW}),
    "close": frozenset({State.REOPEN_REVIEW, State.REPLIED}),
    "withdraw": OPEN_STATES - {State.REPLIED, State.REOPEN_REVIEW},
    "invalidate": OPEN_STATES - {State.REPLIED, State.REOPEN_REVIEW},
    "merge": OPEN_STATES - {State.REPLIED, State.REOPEN_REVIEW},
}

ACTION_LABELS = {
    "register": _("register"),
    "accept": _("accept"),
    "answer_directly": _("answer directly"),
    "dispatch": _("dispatch"),
    "sign_for": _("sign for"),
    "assign_handler": _("assign a handler"),
    "assist_opinion": _("give an assisting opinion"),
    "request_return": _("request a return"),
    "decide_return": _("decide on a return"),
    "request_extension": _("request an extension"),
    "decide_extension": _("decide on an extension"),
    "suspend": _("suspend"),
    "resume": _("resume"),
    "save_reply_draft": _("save the reply as a draft"),
    "reply": _("reply"),
    "recall_reply": _("recall the reply"),
    "review_reply": _("review the reply"),
    "rate": _("rate"),
    "reopen": _("reopen"),
    "close": _("close"),
    "withdraw": _("withdraw"),
    "invalidate": _("mark invalid"),
    "merge": _("merge"),
}
