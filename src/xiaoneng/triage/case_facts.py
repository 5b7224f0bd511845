"""Triage's handlers of the case engine's facts (``cases/facts.py``): a case arrived, a case
was dispatched. Registered in ``TriageConfig.ready()``.

Triage helps; it never blocks, and registration does not pay for it. The reading of an arrived
case (its suggestion, the repeat check) runs once the registration has committed
(``transaction.on_commit``), every case of the registration (one, or a batch's) in one
transaction with a fixed number of queries: the registration holds no lock while the text is
read, and its query count does not include the reading. If the reading
fails (a model that cannot be read, say) or the process stops before it, the failure is logged
and the repeat sweep (``triage.repeats``), which reads every recent case not yet read, catches up.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from xiaoneng.cases import facts
from xiaoneng.cases.facts import CaseFact
from xiaoneng.cases.models import Case
from xiaoneng.triage.services import case_arrived, cases_arrived, suggestion_settle
from xiaoneng.workdays.calendar import calendar_pinned

logger = logging.getLogger(__name__)


# From this many cases a registration's arrivals wait for the commit as ids and are read back
# then (one query): an import of 50 000 rows in one transaction would otherwise hold every case
# in memory until its commit.
HOLD_IDS_FROM = 50


def read_arrived(cases: list[Any]) -> None:
    """Read the arrived cases (after the registration committed): all of them in one
    transaction (``cases_arrived``: a fixed number of queries for a batch of 500); if that
    fails, each in a transaction of its own, so one case that cannot be read leaves the others
    read. ``cases``: the cases, or their ids."""
    if cases and isinstance(cases[0], int):
        rows = Case.objects.filter(pk__in=cases).select_related("unit").order_by("pk")
        # The reading needs no personal data: the encrypted columns are left unread.
        personal = ("requester_name", "requester_phone", "requester_email", "requester_id_number")
        cases = list(rows.defer(*personal))
    if not cases:
        return
    try:
        with transaction.atomic(), calendar_pinned():
            cases_arrived(cases=cases, new=True)
        return
    except Exception:
        if len(cases) == 1:
            logger.exception("triage could not read case %s", cases[0].pk)
            return
        logger.exception("triage could not read %d cases at once; reading each", len(cases))
    for case in cases:
        try:
            with transaction.atomic():
                case_arrived(case=case)
        except Exception:
            logger.exception("triage could not read case %s", case.pk)


def _arrived(batch: list[CaseFact]) -> None:
    cases: list[Any] = [fact.case for fact in batch]
    if len(cases) >= HOLD_IDS_FROM:
        cases = [case.pk for case in cases]
    transaction.on_commit(lambda: read_arrived(cases), robust=True)


def _dispatched(batch: list[CaseFact]) -> None:
    for fact in batch:
        if fact.department is not None:
            suggestion_settle(case=fact.case, lead=fact.department)


def register() -> None:
    facts.on_case_fact(facts.ARRIVED, _arrived)
    facts.on_case_fact(facts.DISPATCHED, _dispatched)
