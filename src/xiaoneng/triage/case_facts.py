"""Triage's handlers of the case engine's facts (``cases/facts.py``): a case arrived, a case
was dispatched. Registered in ``TriageConfig.ready()``.

Triage helps; it never blocks, and registration does not pay for it. The reading of an arrived
case (its suggestion, the repeat check) runs once the registration has committed, every case of
the registration (one, or a batch's) in one transaction with a fixed number of queries: the
registration holds no lock while the text is read, and its query count does not include the
reading. Where it runs:

- Cases nobody registered in person (an API client's, the public's, an import's: they wait in
  an intake pool until someone opens it) are read by a Celery worker when a broker is set
  (``tasks.read_arrived_task``, queued on commit): the request does not pay for the reading,
  and the suggestion is there once the worker has read the case, normally well before anyone
  opens the pool. If the task cannot be queued, the request reads them itself, as below.
- Cases registered in person (the registrar goes on to the case page, whose triage panel and
  dispatch form show the suggestion at once), and every case without a broker (embedded mode),
  are read by the request right after its commit (``transaction.on_commit``).

If the reading fails (a model that cannot be read, say) or the process stops before it, the
failure is logged and the repeat sweep (``triage.repeats``), which reads every recent case not
yet read, catches up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Worker:
    wanted: Callable[[], bool]  # a worker can be asked now (a broker is set)
    send: Callable[[list[int]], bool]  # queue the reading of these ids; False if not queued


_worker: _Worker | None = None


def worker_reading_register(
    *, wanted: Callable[[], bool], send: Callable[[list[int]], bool]
) -> None:
    """Let a background worker read arrived cases. The ops app registers Celery here (as it
    registers the outbox relay's prompt with notify): triage, a feature, does not import the
    operations layer above it."""
    global _worker
    _worker = _Worker(wanted=wanted, send=send)


def read_arrived(cases: list[Any], *, new: bool = True) -> None:
    """Read the arrived cases (after the registration committed): all of them in one
    transaction (``cases_arrived``: a fixed number of queries for a batch of 500); if that
    fails, each in a transaction of its own, so one case that cannot be read leaves the others
    read. ``cases``: the cases, or their ids. ``new``: nobody can have read them yet (false
    for a worker's task, which a broker may deliver twice)."""
    if cases and isinstance(cases[0], int):
        rows = Case.objects.filter(pk__in=cases).select_related("unit").order_by("pk")
        # The reading needs no personal data: the encrypted columns are left unread.
        personal = ("requester_name", "requester_phone", "requester_email", "requester_id_number")
        cases = list(rows.defer(*personal))
    if not cases:
        return
    try:
        with transaction.atomic(), calendar_pinned():
            cases_arrived(cases=cases, new=new)
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
    worker = _worker
    if worker is not None and worker.wanted() and all(c.first_contact_id is None for c in cases):
        ids = [case.pk for case in cases]
        transaction.on_commit(lambda: _queue(worker, ids), robust=True)
        return
    if len(cases) >= HOLD_IDS_FROM:
        cases = [case.pk for case in cases]
    transaction.on_commit(lambda: read_arrived(cases), robust=True)


def _queue(worker: _Worker, ids: list[int]) -> None:
    """Hand the reading of ``ids`` to a worker; read them here if the broker cannot take it."""
    if not worker.send(ids):
        read_arrived(ids)


def _dispatched(batch: list[CaseFact]) -> None:
    for fact in batch:
        if fact.department is not None:
            suggestion_settle(case=fact.case, lead=fact.department)


def register() -> None:
    facts.on_case_fact(facts.ARRIVED, _arrived)
    facts.on_case_fact(facts.DISPATCHED, _dispatched)
