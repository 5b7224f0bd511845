"""The progress line of the public tracking page: 受理 → 转办 → 签收 → 办理 → 答复 → 评价.

Built from what the public may see only: the case's public timeline events (when each step
happened), its state, and the due moments of its clocks as the clocks hold them (never worked
out again here). A pure function of those, so every state can be tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from xiaoneng.cases.states import State

ACCEPT, DISPATCH, SIGN_FOR, HANDLE, REPLY, RATE = (
    "accept",
    "dispatch",
    "sign_for",
    "handle",
    "reply",
    "rate",
)
STEPS = (ACCEPT, DISPATCH, SIGN_FOR, HANDLE, REPLY, RATE)
CLOSED = "closed"  # not a step: when the request was closed, for an unrated closing

DONE, CURRENT, UPCOMING, SKIPPED = "done", "current", "upcoming", "skipped"


def step_labels() -> dict[str, str]:
    return {
        ACCEPT: _("progress: accepted"),
        DISPATCH: _("progress: passed on"),
        SIGN_FOR: _("progress: signed for"),
        HANDLE: _("progress: handling"),
        REPLY: _("progress: replied"),
        RATE: _("progress: rated"),
    }


@dataclass(frozen=True)
class EventFact:
    """One public timeline event, as the progress line reads it."""

    action: str
    at: datetime
    pool: bool = False


@dataclass(frozen=True)
class Dues:
    """The due moments the case's clocks hold now (None: no such clock running)."""

    intake: datetime | None = None
    sign_for: datetime | None = None
    reply: datetime | None = None
    rating: datetime | None = None


@dataclass
class Step:
    key: str
    label: str
    status: str = UPCOMING
    at: datetime | None = None
    expected: datetime | None = None
    note: str = ""


@dataclass
class Progress:
    steps: list[Step]
    # Said under the line when the request left it (withdrawn, invalid, merged) or paused.
    note: str = ""
    current: str = ""
    extra: list[str] = field(default_factory=list)


def _reached(events: Iterable[EventFact]) -> tuple[dict[str, datetime], set[str], set[str]]:
    """When each step last happened, the steps skipped, and the notes met on the way."""
    at: dict[str, datetime] = {}
    skipped: set[str] = set()
    seen: set[str] = set()
    for event in events:
        action = event.action
        seen.add(action)
        if (action == "register" and not event.pool) or action == "accept":
            at[ACCEPT] = event.at
        elif action in {"dispatch", "accept_return"}:
            # Passed (again) to a department: what came after the earlier dispatch starts over.
            at[DISPATCH] = event.at
            for step in (SIGN_FOR, HANDLE, REPLY, RATE):
                at.pop(step, None)
            skipped.clear()
        elif action == "sign_for":
            at[SIGN_FOR] = event.at
            at[HANDLE] = event.at
        elif action == "answer_directly":
            at[REPLY] = event.at
            skipped.update({DISPATCH, SIGN_FOR, HANDLE})
        elif action == "reply":
            at[REPLY] = event.at
        elif action == "rate":
            at[RATE] = event.at
        elif action in {"close", "close_unrated"}:
            at[CLOSED] = event.at
        elif action == "reopen":
            # Handled again with a new deadline: the reply and the rating are still to come.
            for step in (REPLY, RATE):
                at.pop(step, None)
            skipped.discard(RATE)
            if DISPATCH in at or SIGN_FOR in at:
                at[HANDLE] = event.at
            else:
                skipped.difference_update({DISPATCH, SIGN_FOR, HANDLE})
    return at, skipped, seen


def _expected(step: str, dues: Dues) -> datetime | None:
    return {
        ACCEPT: dues.intake,
        SIGN_FOR: dues.sign_for,
        HANDLE: dues.reply,
        REPLY: dues.reply,
        RATE: dues.rating,
    }.get(step)


def progress_line(
    *, events: Iterable[EventFact], state: str, dues: Dues, unrated: bool = False
) -> Progress:
    """The six steps with the date each happened and, for the step the request is at, the
    date the next thing is due. ``unrated``: closed without a rating by the requester."""
    labels = step_labels()
    at, skipped, seen = _reached(events)
    if state == State.CLOSED and unrated:
        # Closed when the rating window ran out (or by the efficiency office) without one.
        skipped.add(RATE)
        closed = at.get(CLOSED) or at.get(RATE)
        if closed is not None:
            at[RATE] = closed
    steps = [Step(key=key, label=labels[key], at=at.get(key)) for key in STEPS]
    for step in steps:
        if step.key in skipped:
            step.status = SKIPPED
            step.note = _("Closed without a rating") if step.key == RATE else _("Answered directly")
        elif step.at is not None:
            step.status = DONE
    progress = Progress(steps=steps)
    final = state in {State.CLOSED, State.WITHDRAWN, State.INVALID, State.MERGED}
    if final:
        progress.note = {
            State.WITHDRAWN: _("The request was withdrawn; the remaining steps do not apply."),
            State.INVALID: _(
                "The request was closed as invalid; the remaining steps do not apply."
            ),
            State.MERGED: _(
                "The request was merged with another request on the same matter, which is "
                "followed from here on."
            ),
        }.get(state, "")
        return progress
    current = _current_step(steps, state)
    if current is not None:
        current.status = CURRENT
        current.expected = _expected(current.key, dues)
        progress.current = current.key
        if current.key in {SIGN_FOR, HANDLE}:
            # Handling began on the day shown; what the person waits for is the reply.
            current.note = {
                State.SUSPENDED: _("Paused, waiting for materials or for a lawful reason"),
                State.RETURN_REQUESTED: _("The department asked to pass it on; being decided"),
            }.get(state, "")
    if state == State.REOPEN_REVIEW:
        progress.note = _("Your rating is being reviewed by the efficiency office.")
    if "approve_extension" in seen and state in {State.IN_PROGRESS, State.SUSPENDED}:
        progress.extra.append(_("More time was approved: the date shown is the new one."))
    return progress


def _current_step(steps: list[Step], state: str) -> Step | None:
    """The step the request is at: handling while a department works on it, else the first
    step still to happen."""
    by_key = {step.key: step for step in steps}
    handling = {State.IN_PROGRESS, State.SUSPENDED, State.RETURN_REQUESTED}
    if state in handling and by_key[HANDLE].at is not None:
        return by_key[HANDLE]
    if state == State.REOPEN_REVIEW:
        return None
    for step in steps:
        if step.status == UPCOMING:
            return step
    return None
