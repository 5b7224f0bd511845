"""The violations the case engine's facts give rise to (see ``cases/facts.py``).

Registered in ``AccountabilityConfig.ready()``; each handler runs in the transaction of the
case service or sweeper batch that announced the fact, so the violation and its audit row are
written with the case event or not at all. Each violation is recorded once per source.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from xiaoneng.accountability.descriptions import Described
from xiaoneng.accountability.models import Violation
from xiaoneng.accountability.violations import (
    AutomaticViolation,
    violation_record_automatic,
    violation_record_automatic_bulk,
    violation_record_unfiled_denial,
)
from xiaoneng.cases import facts
from xiaoneng.cases.facts import CaseFact


def _violation(fact: CaseFact) -> AutomaticViolation:
    case = fact.case
    if fact.kind == facts.SIGNED_FOR_LATE:
        kind, source = Violation.Kind.LATE_SIGN_FOR, f"late_sign_for:{fact.key}"
        message = gettext_noop("Signed for after the deadline.")
    elif fact.kind == facts.SIGN_FOR_OVERDUE:
        kind, source = Violation.Kind.LATE_SIGN_FOR, f"late_sign_for:{fact.key}"
        message = gettext_noop("Not signed for by the deadline.")
    elif fact.kind == facts.RETURN_REJECTED:
        kind, source = Violation.Kind.BUCK_PASSING, f"return:{fact.key}"
        message = gettext_noop("Return rejected: the case was within the department's remit.")
    elif fact.kind == facts.REOPENED_AT_FAULT:
        kind, source = Violation.Kind.FAULT_DISSATISFACTION, f"reopen:{fact.key}"
        message = gettext_noop("Unsatisfied rating found to be the unit's fault; case reopened.")
    elif fact.kind == facts.RED_CARD:
        kind, source = Violation.Kind.RED_CARD, f"red:{fact.key}"
        message = gettext_noop("Red card: the time limit and the reminder's limit both passed.")
    else:
        raise ValueError(f"no violation for the case fact {fact.kind!r}")
    return AutomaticViolation(
        kind=kind,
        source_key=source,
        description=Described(message),
        case=case,
        department=fact.department,
        staff=fact.staff,
        unit_id=case.unit_id,
    )


def record_each(batch: list[CaseFact]) -> None:
    """A case service's fact: its violation, recorded there and then."""
    for fact in batch:
        item = _violation(fact)
        violation_record_automatic(
            kind=item.kind,
            source_key=item.source_key,
            description=item.description,
            case=item.case,
            department=item.department,
            staff=item.staff,
            unit_id=item.unit_id,
        )


def record_batch(batch: list[CaseFact]) -> None:
    """The sweeper batch's facts: their violations, recorded together."""
    violation_record_automatic_bulk(items=[_violation(fact) for fact in batch])


def check_unfiled_denial(batch: list[CaseFact]) -> None:
    """A yellow card on an application's reply stage may mean an unfiled denial."""
    for fact in batch:
        violation_record_unfiled_denial(case=fact.case, stage=fact.stage)


def register() -> None:
    facts.on_case_fact(
        [facts.SIGNED_FOR_LATE, facts.RETURN_REJECTED, facts.REOPENED_AT_FAULT], record_each
    )
    facts.on_case_fact([facts.SIGN_FOR_OVERDUE, facts.RED_CARD], record_batch)
    facts.on_case_fact(facts.YELLOW_CARD, check_unfiled_denial)
