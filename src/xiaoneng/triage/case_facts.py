"""Triage's handlers of the case engine's facts (``cases/facts.py``): a case arrived, a case
was dispatched. Registered in ``TriageConfig.ready()``.

Triage helps; it never blocks: each handler works in a savepoint of the caller's transaction,
and if it fails (a model that cannot be read, say) the case goes on without it, the failure is
logged, and the repeat sweep catches up with the case later.
"""

from __future__ import annotations

import logging

from django.db import transaction

from xiaoneng.cases import facts
from xiaoneng.cases.facts import CaseFact
from xiaoneng.triage.services import case_arrived, suggestion_settle

logger = logging.getLogger(__name__)


def _arrived(batch: list[CaseFact]) -> None:
    for fact in batch:
        try:
            with transaction.atomic():
                case_arrived(case=fact.case)
        except Exception:
            logger.exception("triage could not read case %s", fact.case.pk)


def _dispatched(batch: list[CaseFact]) -> None:
    for fact in batch:
        if fact.department is not None:
            suggestion_settle(case=fact.case, lead=fact.department)


def register() -> None:
    facts.on_case_fact(facts.ARRIVED, _arrived)
    facts.on_case_fact(facts.DISPATCHED, _dispatched)
