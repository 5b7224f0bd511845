"""Callbacks (回访): the efficiency office calls the requester of a replied case.

The rating given on the phone goes through the case app's own ``case_rate`` (with ``by`` set,
which marks it as a callback rating); an unsatisfied rating therefore lands in the case's
reopen review exactly as a rating by the requester would.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import Case, Satisfaction
from xiaoneng.cases.services import case_rate
from xiaoneng.cases.states import State
from xiaoneng.errors import DomainError
from xiaoneng.supervision.models import Callback, CallbackPolicy
from xiaoneng.supervision.permissions import require_any

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor, User
    from xiaoneng.org.models import Unit

OFFICE_ONLY = frozenset({"efficiency_office"})
MAX_NOT_REACHED = 3
RATINGS = (Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.UNSATISFIED)


def sample_bucket(case_number: str) -> int:
    """0–99, fixed for a case: its place in every unit's sample is stable across requests."""
    digest = hashlib.sha256(case_number.encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % 100


def in_sample(case_number: str, percent: int) -> bool:
    return sample_bucket(case_number) < percent


def callback_policy_set(*, by: Actor, unit: Unit, sample_percent: int) -> CallbackPolicy:
    require_any(by, OFFICE_ONLY, _("Only the efficiency office may change callback sampling."))
    if not 0 <= int(sample_percent) <= 100:
        raise DomainError(_("The sample must be between 0 and 100 per cent."))
    with transaction.atomic():
        policy, _created = CallbackPolicy.objects.select_for_update().get_or_create(
            unit=unit, defaults={"sample_percent": sample_percent}
        )
        previous = policy.sample_percent if not _created else None
        policy.sample_percent = int(sample_percent)
        policy.save()
        log_action(
            action="supervision.callback_policy.set",
            obj=policy,
            actor=by,
            unit_id=unit.pk,
            summary={"sample_percent": policy.sample_percent, "previous": previous},
        )
    return policy


def callback_record(
    *,
    case: Case,
    by: User,
    outcome: str,
    satisfaction: str = "",
    resolved: bool | None = None,
    notes: str = "",
) -> Callback:
    """Record one attempt. Reached: the rating is applied to the case; refused, or the third
    failed attempt (unreachable), ends the callback without a rating."""
    require_any(by, OFFICE_ONLY, _("Only the efficiency office records callbacks."))
    if outcome not in Callback.Outcome.values:
        raise DomainError(_("Choose whether the requester was reached."))
    reached = outcome == Callback.Outcome.REACHED
    if reached:
        if satisfaction not in RATINGS:
            raise DomainError(_("Choose satisfied, basically satisfied or unsatisfied."))
        if resolved is None:
            raise DomainError(_("Say whether the matter was resolved."))
    else:
        satisfaction, resolved = "", None
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        attempts = list(case.callbacks.order_by("attempt"))
        if any(attempt.final for attempt in attempts):
            raise DomainError(_("This case has already been called back."))
        if case.state != State.REPLIED:
            raise DomainError(
                _("Only a replied case awaiting its rating can be called back."),
                code="illegal_transition",
            )
        number = len(attempts) + 1
        not_reached = sum(a.outcome == Callback.Outcome.NOT_REACHED for a in attempts)
        unreachable = outcome == Callback.Outcome.NOT_REACHED and not_reached + 1 >= MAX_NOT_REACHED
        callback = Callback.objects.create(
            case=case,
            attempt=number,
            outcome=outcome,
            satisfaction=satisfaction,
            resolved=resolved,
            notes=notes.strip()[:2000],
            final=reached or outcome == Callback.Outcome.REFUSED or unreachable,
            unreachable=unreachable,
            by=by,
            at=timezone.now(),
        )
        if reached:
            case_rate(
                case=case,
                satisfaction=satisfaction,
                resolved=bool(resolved),
                comment=notes,
                by=by,
            )
            callback.rating_applied = True
            callback.save(update_fields=["rating_applied"])
        log_action(
            action="supervision.callback.record",
            obj=case,
            actor=by,
            unit_id=case.unit_id,
            summary={
                "number": case.number,
                "attempt": number,
                "outcome": outcome,
                "satisfaction": satisfaction,
                "resolved": resolved,
                "unreachable": unreachable,
            },
        )
    return callback
