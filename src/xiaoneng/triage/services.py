"""Triage's changes: training a unit's routing model, recording each suggestion and the
choice made at dispatch, merging a near-duplicate (并案), and raising repeat-complaint alerts."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, override

from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import Case, CaseEvent
from xiaoneng.cases.notifications import notify_requester
from xiaoneng.cases.services import case_merge
from xiaoneng.deferred import write
from xiaoneng.org.models import Department, Unit
from xiaoneng.triage.models import RepeatAlert, RoutingModel, Suggestion
from xiaoneng.triage.repeats import (
    REPEAT_KINDS,
    earlier_replied,
    raise_repeat,
    repeat_among,
    repeat_check,
    replied_near,
)
from xiaoneng.triage.selectors import (
    Suggested,
    history_examples,
    remit_examples,
    suggest_many,
)
from xiaoneng.triage.similarity import Probe

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor, User
    from xiaoneng.triage.classifier import Accuracy

logger = logging.getLogger(__name__)

HELD_OUT_SHARE = 0.2
MIN_HELD_OUT = 20
KEEP_VERSIONS = 3
RETRAIN_EVERY = timedelta(days=7)


@dataclass(frozen=True)
class Trained:
    model: RoutingModel
    held_out: Accuracy | None


def routing_model_train(*, unit: Unit, by: Actor = None, now: datetime | None = None) -> Trained:
    """Train ``unit``'s model on its remits and closed cases; measure it on the newest fifth
    of the history first (trained without it), then train on everything and store it as the
    next version. The three newest versions are kept."""
    # On first use, as in triage.selectors: numpy and scikit-learn slow every start-up.
    from xiaoneng.triage.classifier import dumps, evaluate, timed_train

    now = now or timezone.now()
    remits, history = remit_examples(unit), history_examples(unit, now=now)
    held_out: Accuracy | None = None
    cut = int(len(history) * (1 - HELD_OUT_SHARE))
    if len(history) - cut >= MIN_HELD_OUT:
        trial, _seconds = timed_train(remits + history[:cut])
        held_out = evaluate(trial, [(e.text, e.label) for e in history[cut:]])
    router, seconds = timed_train(remits + history)
    blob = dumps(router)
    with transaction.atomic():
        Unit.objects.select_for_update().get(pk=unit.pk)
        latest = RoutingModel.objects.filter(unit=unit).aggregate(v=Max("version"))["v"] or 0
        model = RoutingModel.objects.create(
            unit=unit,
            version=latest + 1,
            trained_at=now,
            blob=blob,
            cases=len(history),
            departments=len(router.classes),
            held_out=held_out.count if held_out else 0,
            top1=held_out.top1 if held_out else None,
            top3=held_out.top3 if held_out else None,
            seconds=round(seconds, 2),
        )
        stale = RoutingModel.objects.filter(unit=unit).order_by("-version")[KEEP_VERSIONS:]
        RoutingModel.objects.filter(pk__in=[m.pk for m in stale]).delete()
        log_action(
            action="triage.model.train",
            obj=model,
            actor=by,
            unit_id=unit.pk,
            summary={
                "version": model.version,
                "cases": model.cases,
                "top1": model.top1,
                "top3": model.top3,
            },
        )
    return Trained(model=model, held_out=held_out)


def receiving_units() -> list[Unit]:
    """The units with an intake of their own: the bureau and every unit with a first-contact
    post, each with at least two departments to choose between."""
    units = Unit.objects.filter(is_active=True).order_by("pk")
    return [
        unit
        for unit in units
        if (unit.parent_id is None or unit.first_contact_post_id is not None)
        and Department.objects.filter(unit=unit, is_active=True).count() >= 2
    ]


def routing_models_retrain(*, now: datetime | None = None) -> int:
    """The periodic job: retrain each receiving unit's model once a week; returns how many."""
    now = now or timezone.now()
    trained = 0
    for unit in receiving_units():
        newest = RoutingModel.objects.filter(unit=unit).aggregate(t=Max("trained_at"))["t"]
        if newest is not None and now - newest < RETRAIN_EVERY:
            continue
        routing_model_train(unit=unit, now=now)
        trained += 1
    return trained


def suggestion_record(*, case: Case) -> Suggestion:
    """Store what the model suggests for a newly arrived case (once)."""
    existing = Suggestion.objects.filter(case=case).first()
    if existing is not None:
        return existing
    suggestion = _suggestion(case)
    suggestion.save(force_insert=True)
    _settle_if_dispatched(suggestion)
    return suggestion


def _settle_if_dispatched(suggestion: Suggestion) -> None:
    """A case dispatched before its suggestion was stored (the reading runs after the
    registration commits; an import may register and dispatch in one transaction): record the
    first dispatch's department now."""
    first = (
        CaseEvent.objects.filter(case_id=suggestion.case_id, action="dispatch")
        .order_by("at", "pk")
        .values_list("data", "at")
        .first()
    )
    if first is None or not (first[0] or {}).get("lead"):
        return
    lead_id = int(first[0]["lead"])
    suggestion.chosen_id, suggestion.chosen_at = lead_id, first[1]
    suggestion.followed = suggestion.top_id == lead_id if suggestion.top_id else None
    suggestion.save(update_fields=["chosen", "chosen_at", "followed"])


def suggestion_settle(*, case: Case, lead: Department, at: datetime | None = None) -> None:
    """Record the department chosen at the case's first dispatch beside the suggestion."""
    suggestion = Suggestion.objects.select_for_update().filter(case=case).first()
    if suggestion is None or suggestion.chosen_id is not None:
        return
    suggestion.chosen = lead
    suggestion.chosen_at = at or timezone.now()
    suggestion.followed = suggestion.top_id == lead.pk if suggestion.top_id else None
    suggestion.save(update_fields=["chosen", "chosen_at", "followed"])


def duplicate_merge(*, case: Case, into: Case, by: User, score: float | None = None) -> Case:
    """并案: merge ``case`` into the open case ``into`` (the case service's rules: the
    efficiency office, both open) and tell the requester their request joined that case."""
    reason = gettext("Same matter as %(number)s.") % {"number": into.number}
    with transaction.atomic():
        merged = case_merge(case=case, by=by, into=into, reason=reason)
        log_action(
            action="triage.duplicate.merge",
            obj=merged,
            actor=by,
            summary={"into": into.number, "score": score},
        )
        with override("zh-hans"):
            message = gettext(
                "Your request %(number)s is about the same matter as request %(into)s and "
                "has been joined to it; you will hear the outcome."
            ) % {"number": merged.number, "into": into.number}
        notify_requester(merged, kind="case.merged", message=message)
    return merged


def case_arrived(*, case: Case, now: datetime | None = None) -> None:
    """What triage does when a case arrives, on any channel: store the suggestion and check
    whether it repeats an earlier complaint (each once)."""
    suggestion = suggestion_record(case=case)
    if suggestion.repeat_checked_at is None:
        repeat_check(case=case, now=now)
        Suggestion.objects.filter(pk=suggestion.pk).update(repeat_checked_at=now or timezone.now())


def cases_arrived(*, cases: list[Case], now: datetime | None = None, new: bool = False) -> None:
    """``case_arrived`` for the cases of one registration, batch or import chunk at once, in
    the caller's transaction and with a fixed number of queries whatever their number: which
    were read before (those go through ``case_arrived``), their alerts, the replied cases they
    might repeat, their first dispatches, then every suggestion in one insert. The model in use
    and the unit's departments come from the per-process cache (``selectors.router_for``).

    ``new``: the cases were registered by the transaction that just committed and nobody has
    read them, so the first two reads are skipped; a concurrent reading (the sweep) makes the
    insert fail on the case's unique suggestion, and the caller reads each case on its own."""
    ids = [case.pk for case in cases]
    read: set[int] = set()
    if not new:
        read = set(Suggestion.objects.filter(case_id__in=ids).values_list("case_id", flat=True))
    for case in cases:
        if case.pk in read:
            case_arrived(case=case, now=now)
    fresh = [case for case in cases if case.pk not in read]
    if not fresh:
        return
    checked_at = now or timezone.now()
    checkable = [case for case in fresh if case.kind in REPEAT_KINDS]
    if checkable and not new:
        alerted = set(
            RepeatAlert.objects.filter(case_id__in=[case.pk for case in checkable]).values_list(
                "case_id", flat=True
            )
        )
        checkable = [case for case in checkable if case.pk not in alerted]
    if checkable:
        replied = replied_near(checkable)
        probes: dict[int, Probe] = {}
        for case in checkable:
            found = (
                earlier_replied(case) if replied is None else repeat_among(case, replied, probes)
            )
            if found is not None:
                raise_repeat(case, found, now=now)
    dispatches = _first_dispatches(ids)
    rows = []
    for case, suggestion in zip(fresh, _suggestions(fresh), strict=True):
        suggestion.repeat_checked_at = checked_at
        first = dispatches.get(case.pk)
        if first is not None:
            suggestion.chosen_id, suggestion.chosen_at = first
            suggestion.followed = suggestion.top_id == first[0] if suggestion.top_id else None
        rows.append(suggestion)
    write(Suggestion, rows)


def _suggestion(case: Case) -> Suggestion:
    return _suggestions([case])[0]


def _suggestions(cases: list[Case]) -> list[Suggestion]:
    """The suggestions of ``cases`` (unsaved), the model run once per unit on all its cases."""
    by_unit: dict[int, list[int]] = {}
    for place, case in enumerate(cases):
        by_unit.setdefault(case.unit_id, []).append(place)
    found: list[Suggestion | None] = [None] * len(cases)
    for places in by_unit.values():
        unit = cases[places[0]].unit
        texts = [f"{cases[place].title} {cases[place].content}" for place in places]
        suggested, version = suggest_many(texts, unit=unit)
        for place, items in zip(places, suggested, strict=True):
            found[place] = _suggestion_row(cases[place], items, version)
    return [suggestion for suggestion in found if suggestion is not None]


def _suggestion_row(case: Case, found: list[Suggested], version: int | None) -> Suggestion:
    return Suggestion(
        case_id=case.pk,
        unit_id=case.unit_id,
        model_version=version,
        made_at=timezone.now(),
        items=[
            {
                "department": s.department.code,
                "department_id": s.department.pk,
                "confidence": s.confidence,
                "reasons": s.reasons,
                # What the reasons are made of, so each reader sees them in their language.
                "words": s.words,
                "similar": [[number, name] for _pk, number, name in s.similar],
            }
            for s in found
        ],
        top_id=found[0].department.pk if found else None,
    )


def _first_dispatches(case_ids: list[int]) -> dict[int, tuple[int, datetime]]:
    """(lead department, when) of each case's first dispatch, for cases dispatched before they
    were read (an import may register and dispatch in one transaction)."""
    found: dict[int, tuple[int, datetime]] = {}
    events = (
        CaseEvent.objects.filter(case_id__in=case_ids, action="dispatch")
        .order_by("case_id", "at", "pk")
        .values_list("case_id", "data", "at")
    )
    for case_id, data, at in events:
        if case_id not in found and (data or {}).get("lead"):
            found[case_id] = (int(data["lead"]), at)
    return found


def repeats_sweep(*, now: datetime | None = None, days: int = 2) -> int:
    """The periodic job: catch up with the cases of the last ``days`` days not yet checked
    (arrived while the model could not be read, say); returns how many alerts were raised.
    A case is checked once, and an alert is never raised twice for one case."""
    now = now or timezone.now()
    fresh = (
        Case.objects.filter(registered_at__gte=now - timedelta(days=days))
        .exclude(triage_suggestion__repeat_checked_at__isnull=False)
        .order_by("registered_at", "pk")
    )
    before = RepeatAlert.objects.count()
    for case in fresh[:500]:
        case_arrived(case=case, now=now)
    return RepeatAlert.objects.count() - before
