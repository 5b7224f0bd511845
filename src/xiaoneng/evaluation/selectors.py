"""Reads of the evaluation app: who sees which round and unit, the results per question with
their confidence intervals, the composite per unit, and what the portal may show."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from xiaoneng.evaluation.models import (
    PanelCount,
    ResponseItem,
    Round,
    RoundUnit,
    TypicalCase,
    localised,
)
from xiaoneng.evaluation.stats import MeanInterval, mean_interval, score_of_mean
from xiaoneng.org.models import Unit
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import staff_for, user_roles
from xiaoneng.privacy import redact

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

RESULT_STATES = (Round.State.CLOSED, Round.State.APPROVED)


def sees_all(user: User) -> bool:
    return bool(user_roles(user) & {Role.EFFICIENCY_OFFICE, Role.LEADER})


def _own_units(user: User) -> Q | None:
    """The round units a department head answers for: their department, or their school."""
    if Role.DEPT_HEAD not in user_roles(user):
        return None
    staff = staff_for(user)
    if staff is None:
        return None
    if staff.unit.kind == Unit.Kind.SCHOOL:
        return Q(unit_id=staff.unit_id)
    return Q(department_id=staff.department_id) if staff.department_id else None


def visible_units(user: User, round_: Round) -> QuerySet[RoundUnit]:
    units = round_.units.select_related("unit", "department").order_by("id")
    if sees_all(user):
        return units
    own = _own_units(user)
    return units.filter(own) if own is not None else units.none()


def rounds_for(user: User) -> QuerySet[Round]:
    rounds = Round.objects.select_related("version__questionnaire").order_by("-period_to", "-id")
    if sees_all(user):
        return rounds
    own = _own_units(user)
    if own is None:
        return rounds.none()
    ids = RoundUnit.objects.filter(own).values("round_id")
    return rounds.filter(pk__in=ids, state__in=RESULT_STATES)


@dataclass
class OptionCount:
    label: str
    count: int
    rate: float | None


@dataclass
class ItemResult:
    key: str
    text: str
    kind: str
    n: int
    too_few: bool
    options: list[OptionCount] = field(default_factory=list)
    interval: MeanInterval | None = None
    previous_mean: float | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.interval is None or self.previous_mean is None:
            return None
        return round(self.interval.mean - self.previous_mean, 2)


@dataclass
class UnitResult:
    round_unit: RoundUnit
    responses: int
    too_few: bool
    items: list[ItemResult]
    composite: float | None
    previous_composite: float | None
    panels: list[dict[str, Any]]


def _answers(round_unit: RoundUnit) -> tuple[int, dict[str, list[dict[str, Any]]]]:
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = ResponseItem.objects.filter(response__round_unit=round_unit).values(
        "response_id", "key", "choice", "score", "text"
    )
    for row in rows:
        by_key[row["key"]].append(dict(row))
    return round_unit.responses.count(), by_key


def _item_result(item: dict[str, Any], rows: list[dict[str, Any]], threshold: int) -> ItemResult:
    n = len({r["response_id"] for r in rows})
    result = ItemResult(
        key=item["key"], text=localised(item["text"]), kind=item["kind"], n=n, too_few=n < threshold
    )
    if result.too_few:
        return result
    if item["kind"] in ("single", "multiple"):
        counts: dict[str, int] = defaultdict(int)
        for r in rows:
            counts[r["choice"]] += 1
        result.options = [
            OptionCount(localised(o), counts[o["value"]], round(100 * counts[o["value"]] / n, 1))
            for o in item["options"]
        ]
    elif item["kind"] == "scale":
        result.interval = mean_interval([r["score"] for r in rows if r["score"] is not None])
        labels = item["options"] or [{"zh": str(i), "en": str(i)} for i in range(1, 6)]
        counts = defaultdict(int)
        for r in rows:
            counts[str(r["score"])] += 1
        result.options = [
            OptionCount(f"{i} {localised(o)}", counts[str(i)], round(100 * counts[str(i)] / n, 1))
            for i, o in enumerate(labels, start=1)
        ]
    else:
        result.texts = [redact(r["text"]) for r in rows if r["text"]]
    return result


def composite_of(items: list[ItemResult]) -> float | None:
    """The unit's composite: the mean of its scale questions' means, as a score out of 100
    (1 → 0, 5 → 100). None when no scale question has enough answers."""
    means = [i.interval.mean for i in items if i.interval is not None]
    if not means:
        return None
    return score_of_mean(sum(means) / len(means))


def previous_unit(round_unit: RoundUnit) -> RoundUnit | None:
    """The same unit in the latest earlier round of the same questionnaire with results."""
    round_ = round_unit.round
    same = (
        Q(department_id=round_unit.department_id)
        if round_unit.department_id
        else Q(unit_id=round_unit.unit_id)
    )
    return (
        RoundUnit.objects.filter(same)
        .filter(
            round__version__questionnaire_id=round_.version.questionnaire_id,
            round__period_to__lt=round_.period_from,
            round__state__in=RESULT_STATES,
        )
        .select_related("round__version")
        .order_by("-round__period_to", "-round_id")
        .first()
    )


def _panels(round_unit: RoundUnit) -> list[dict[str, Any]]:
    rows = (
        PanelCount.objects.filter(round_unit=round_unit)
        .select_related("panel")
        .order_by("panel_id")
    )
    return [
        {
            "name": c.panel.label,
            "label": c.panel.label,
            "kind": c.panel.kind,
            "invited": c.invited,
            "answered": c.answered,
            "rate": round(100 * c.answered / c.invited, 1) if c.invited else None,
        }
        for c in rows
    ]


def _items_of(round_unit: RoundUnit) -> tuple[int, list[ItemResult]]:
    threshold = round_unit.round.min_answers
    total, by_key = _answers(round_unit)
    items = [
        _item_result(item, by_key.get(item["key"], []), threshold)
        for item in round_unit.round.version.items
    ]
    return total, items


def unit_result(round_unit: RoundUnit, *, with_texts: bool = True) -> UnitResult:
    total, items = _items_of(round_unit)
    previous = previous_unit(round_unit)
    previous_composite = None
    if previous is not None:
        _n, earlier = _items_of(previous)
        means = {i.key: i.interval.mean for i in earlier if i.interval is not None}
        for item in items:
            item.previous_mean = means.get(item.key)
        previous_composite = composite_of(earlier)
    if not with_texts:
        for item in items:
            item.texts = []
    too_few = total < round_unit.round.min_answers
    return UnitResult(
        round_unit=round_unit,
        responses=total,
        too_few=too_few,
        items=items,
        composite=None if too_few else composite_of(items),
        previous_composite=previous_composite,
        panels=_panels(round_unit),
    )


@dataclass
class RankedUnit:
    rank: int | None
    result: UnitResult


def round_ranking(round_: Round) -> list[RankedUnit]:
    """Every unit of the round with its composite, best first; units without a composite last
    and unranked."""
    results = [
        unit_result(u, with_texts=False)
        for u in round_.units.select_related("round__version", "unit", "department").order_by("id")
    ]
    scored = sorted(
        (r for r in results if r.composite is not None), key=lambda r: -(r.composite or 0)
    )
    ranked = [RankedUnit(rank=i, result=r) for i, r in enumerate(scored, start=1)]
    return ranked + [RankedUnit(rank=None, result=r) for r in results if r.composite is None]


def approved_scores(start: date, end: date) -> dict[str, dict[int, float]]:
    """The composite of each department and school in the latest approved round whose period
    overlaps ``start``–``end``: what the assessment composite folds in, by its weight."""
    rounds = Round.objects.filter(
        state=Round.State.APPROVED, period_from__lte=end, period_to__gte=start
    ).order_by("period_to", "id")
    scores: dict[str, dict[int, float]] = {"department": {}, "unit": {}}
    for round_ in rounds:  # later rounds overwrite earlier ones
        for ranked in round_ranking(round_):
            unit = ranked.result.round_unit
            if ranked.result.composite is None:
                continue
            if unit.department_id:
                scores["department"][unit.department_id] = ranked.result.composite
            elif unit.unit_id:
                scores["unit"][unit.unit_id] = ranked.result.composite
    return scores


def approved_rounds(start: date | None = None, end: date | None = None) -> QuerySet[Round]:
    rounds = Round.objects.filter(state=Round.State.APPROVED).order_by("-period_to", "-id")
    if start is not None and end is not None:
        rounds = rounds.filter(approved_at__date__gte=start, approved_at__date__lte=end)
    return rounds


def open_public_rounds() -> QuerySet[Round]:
    return Round.objects.filter(state=Round.State.OPEN, public_open=True).order_by(
        "-period_to", "-id"
    )


def published_typical(start: date | None = None, end: date | None = None) -> QuerySet[TypicalCase]:
    rows = TypicalCase.objects.filter(state=TypicalCase.State.PUBLISHED).order_by(
        "-published_at", "-id"
    )
    if start is not None and end is not None:
        rows = rows.filter(published_at__date__gte=start, published_at__date__lte=end)
    return rows


def typical_for(user: User) -> QuerySet[TypicalCase]:
    """The drafts and decisions the efficiency office and the leaders work on."""
    if not sees_all(user):
        return TypicalCase.objects.none()
    return TypicalCase.objects.order_by("-created_at", "-id")
