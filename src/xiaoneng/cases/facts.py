"""What the case engine tells the apps above it: facts about a case, handed to their handlers.

The engine sits below the apps that judge what happens to a case (accountability records a
violation when a case is signed for late, a return is rejected, a card is raised). Rather than
calling them, the services and the sweeper announce a fact, and each app registers the
handlers it wants in its ``AppConfig.ready()``::

    on_case_fact(facts.RETURN_REJECTED, handler)

A plain registry, not Django signals: a handler runs at once, in the caller's transaction and
in the order of registration, and an exception it raises rolls the caller back with it. A
handler takes a list of facts: ``announce`` hands it one, ``announce_batch`` (the sweeper's
batch) hands each handler the facts of its kinds together, in the order they were found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xiaoneng.org.models import Staff

# A case arrived, on any channel (the office, the portal, the API, Open311, an import).
ARRIVED = "arrived"
# A case was pointed at a lead ``department`` (its dispatch, or a redispatch after a return).
DISPATCHED = "dispatched"
# A case was signed for after the sign-for deadline (``staff`` signed it).
SIGNED_FOR_LATE = "signed_for_late"
# A return was rejected: the case was within the remit of ``department`` (``staff`` asked).
RETURN_REJECTED = "return_rejected"
# An unsatisfied rating was found to be the unit's fault and the case reopened.
REOPENED_AT_FAULT = "reopened_at_fault"
# The sweeper raised a yellow card on ``stage`` (announced at once).
YELLOW_CARD = "yellow_card"
# The sweeper found the sign-for deadline passed with the case not signed for (in the batch).
SIGN_FOR_OVERDUE = "sign_for_overdue"
# The sweeper raised a red card; ``department`` and ``staff`` answer for it (in the batch).
RED_CARD = "red_card"
# An urgent request now waits on a post: registered into an intake pool, or dispatched to a
# lead department (``key`` tells which); the post is to be alerted until someone acknowledges.
URGENT_REQUEST = "urgent_request"


@dataclass(frozen=True)
class CaseFact:
    """One thing that happened to a case. ``key`` tells this occurrence from another of the
    same kind (a handler that must act once per occurrence keys on it); ``department`` and
    ``staff`` are who it concerns, read when it happened."""

    kind: str
    case: Any
    key: str = ""
    department: Any = None
    staff: Staff | None = None
    stage: str = ""


Handler = Callable[[list[CaseFact]], None]

_handlers: dict[str, list[Handler]] = {}


def on_case_fact(kind: str | Iterable[str], handler: Handler) -> None:
    """Call ``handler`` with the facts of ``kind`` (one kind or several); registering the same
    handler again for a kind does nothing."""
    for one in [kind] if isinstance(kind, str) else kind:
        registered = _handlers.setdefault(one, [])
        if handler not in registered:
            registered.append(handler)


def announce(kind: str, *, case: Any, **details: Any) -> None:
    """Tell the handlers of ``kind`` that it happened to ``case``, now."""
    announce_batch([CaseFact(kind=kind, case=case, **details)])


def announce_batch(facts: Iterable[CaseFact]) -> None:
    """Hand each handler, once, the facts of the kinds it registered for, in their order."""
    calls: dict[Handler, list[CaseFact]] = {}
    for fact in facts:
        for handler in _handlers.get(fact.kind, ()):
            calls.setdefault(handler, []).append(fact)
    for handler, batch in calls.items():
        handler(batch)
