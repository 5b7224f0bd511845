"""The metrics of DESIGN.md §7, each defined once, here, on the rollup counts.

Every function takes ``Figures`` (the summed counts of a period and scope, see
contributions.py for what each count is) and returns a percentage rounded to one decimal, or
``None`` when its denominator is zero (shown as "—", never as 0 % or 100 %). docs/metrics.md
repeats every formula.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from xiaoneng.assessment.models import MEASURES

DEFAULT_WEIGHTS = (30, 35, 35)  # response, resolution, satisfaction


@dataclass
class Figures:
    received: int = 0
    dispatched: int = 0
    signed: int = 0
    signed_on_time: int = 0
    replied: int = 0
    replied_on_time: int = 0
    reply_workdays: int = 0
    rated: int = 0
    satisfied: int = 0
    basically: int = 0
    unsatisfied: int = 0
    resolved: int = 0
    unrated: int = 0
    returned: int = 0
    reopened: int = 0
    repeat: int = 0

    def add(self, other: Figures | dict) -> None:
        for name in MEASURES:
            value = other.get(name, 0) if isinstance(other, dict) else getattr(other, name)
            setattr(self, name, getattr(self, name) + (value or 0))

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _rate(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


# Each rate's numerator and denominator, by the metric's name (the name used by the API,
# figures.json and the exports). The rate functions below read them from here, so the n shown
# beside a rate is the n the rate was computed from.
PARTS: dict[str, tuple[tuple[str, ...], str]] = {
    "on_time_sign_for_rate": (("signed_on_time",), "dispatched"),
    "on_time_completion_rate": (("replied_on_time",), "replied"),
    "satisfaction_rate": (("satisfied", "basically"), "rated"),
    "resolution_rate": (("resolved",), "rated"),
    "return_rate": (("returned",), "dispatched"),
    "reopen_rate": (("reopened",), "replied"),
    "repeat_complaint_rate": (("repeat",), "received"),
    "average_reply_workdays": (("reply_workdays",), "replied"),
}


def numerator(f: Figures, metric: str) -> int:
    return sum(getattr(f, name) for name in PARTS[metric][0])


def denominator(f: Figures, metric: str) -> int:
    return getattr(f, PARTS[metric][1])


def _of(f: Figures, metric: str) -> float | None:
    return _rate(numerator(f, metric), denominator(f, metric))


def on_time_sign_for_rate(f: Figures) -> float | None:
    """按时签收率 = dispatches signed for by their deadline / dispatches in the period (each
    dispatch, including a redispatch after a return, counted on its dispatch day)."""
    return _of(f, "on_time_sign_for_rate")


def on_time_completion_rate(f: Figures) -> float | None:
    """按时办结率 = replies given by the (extended) deadline of their reply clock / replies in
    the period. Open overdue cases are reported beside it (selectors.open_overdue)."""
    return _of(f, "on_time_completion_rate")


def satisfaction_rate(f: Figures) -> float | None:
    """满意率 = (satisfied + basically satisfied) / rated, ratings given in the period.
    Replies closed without a rating are counted apart (``unrated``), never in the rate."""
    return _of(f, "satisfaction_rate")


def resolution_rate(f: Figures) -> float | None:
    """解决率 = ratings saying "resolved" / rated."""
    return _of(f, "resolution_rate")


def return_rate(f: Figures) -> float | None:
    """退单率 = return requests made in the period / dispatches in the period."""
    return _of(f, "return_rate")


def reopen_rate(f: Figures) -> float | None:
    """重办率 = reopenings in the period / replies in the period."""
    return _of(f, "reopen_rate")


def repeat_complaint_rate(f: Figures) -> float | None:
    """重复投诉率 = cases received in the period that repeat an earlier one / cases received.
    A case repeats an earlier one when it comes from the same requester phone about the same
    category within the 90 days before, or when triage raised a repeat-complaint alert on it
    (the same person, or the same matter at the same school, again after a reply)."""
    return _of(f, "repeat_complaint_rate")


def average_reply_workdays(f: Figures) -> float | None:
    """Average working days to reply = Σ working days from each reply clock's start to the
    reply, less working days suspended / replies in the period."""
    n, d = numerator(f, "average_reply_workdays"), denominator(f, "average_reply_workdays")
    return round(n / d, 1) if d else None


def response_rate(f: Figures) -> float | None:
    """响应率, the first of the 三率: the on-time sign-for rate."""
    return on_time_sign_for_rate(f)


def composite_score(f: Figures, weights: tuple[int, int, int] = DEFAULT_WEIGHTS) -> float | None:
    """Composite score (三率) = (w₁·response + w₂·resolution + w₃·satisfaction) / (w₁+w₂+w₃),
    default weights 30/35/35. A rate without a denominator is left out and the remaining
    weights are renormalised; with no rate at all the score is None."""
    parts = [
        (weight, rate)
        for weight, rate in zip(
            weights, (response_rate(f), resolution_rate(f), satisfaction_rate(f)), strict=True
        )
        if rate is not None and weight
    ]
    total = sum(weight for weight, _rate_value in parts)
    if not total:
        return None
    return round(sum(weight * rate for weight, rate in parts) / total, 1)


def composite_with_evaluation(
    cases: float | None, evaluation: float | None, weight: int
) -> float | None:
    """The composite of a unit or department whose people served evaluated it in an approved
    round (evaluation app, a score out of 100): ((100 − w)·composite + w·evaluation) / 100 with
    w the evaluation weight in %. Either part missing: the other one alone."""
    if evaluation is None or not weight:
        return cases
    if cases is None:
        return round(evaluation, 1)
    return round(((100 - weight) * cases + weight * evaluation) / 100, 1)


@dataclass(frozen=True)
class MetricValues:
    on_time_sign_for_rate: float | None
    on_time_completion_rate: float | None
    satisfaction_rate: float | None
    resolution_rate: float | None
    return_rate: float | None
    reopen_rate: float | None
    repeat_complaint_rate: float | None
    average_reply_workdays: float | None
    composite_score: float | None


def metric_values(f: Figures, weights: tuple[int, int, int] = DEFAULT_WEIGHTS) -> MetricValues:
    return MetricValues(
        on_time_sign_for_rate=on_time_sign_for_rate(f),
        on_time_completion_rate=on_time_completion_rate(f),
        satisfaction_rate=satisfaction_rate(f),
        resolution_rate=resolution_rate(f),
        return_rate=return_rate(f),
        reopen_rate=reopen_rate(f),
        repeat_complaint_rate=repeat_complaint_rate(f),
        average_reply_workdays=average_reply_workdays(f),
        composite_score=composite_score(f, weights),
    )


# -- internal matters (政令畅通) ---------------------------------------------------------------
# Counted by ``internal.selectors`` (each count is the size of a list of matters); the rates
# are defined here, once, like the case rates above.
INTERNAL_PARTS: dict[str, tuple[str, str]] = {
    "request_reply_timely_rate": ("requests_on_time", "requests_replied"),
    "instruction_completion_rate": ("instructions_done", "instructions_registered"),
}


def request_reply_timely_rate(counts: dict[str, int]) -> float | None:
    """请示回复及时率 = 请示 whose reply was returned by the (extended) deadline of its reply
    clock / 请示 replied in the period."""
    top, bottom = INTERNAL_PARTS["request_reply_timely_rate"]
    return _rate(counts.get(top, 0), counts.get(bottom, 0))


def instruction_completion_rate(counts: dict[str, int]) -> float | None:
    """批办件办结率 = 批办件 registered in the period and done / 批办件 registered in the period."""
    top, bottom = INTERNAL_PARTS["instruction_completion_rate"]
    return _rate(counts.get(top, 0), counts.get(bottom, 0))


def return_attempts(counts: dict[str, int]) -> int:
    """Return attempts (推诿) of a department = internal matters it asked 办公室 to re-route in
    the period (each matter once); those refused are counted apart (``reroute_refused``)."""
    return counts.get("reroute_attempts", 0)


def drill_compliance_rate(schools_met: int, schools: int) -> float | None:
    """演练达标率 = schools that have held every drill the bureau requires in the current term
    or school year / schools (None without schools or without requirements)."""
    return _rate(schools_met, schools)


# The figures of the suggested lead department (triage), counted in routing_figures.py.
ROUTING_PARTS: dict[str, tuple[str, str]] = {
    "suggestion_accuracy": ("accurate", "suggested"),
    "followed_return_rate": ("followed_returned", "followed"),
    "overridden_return_rate": ("overridden_returned", "overridden"),
}


def _routing(counts: dict[str, int], metric: str) -> float | None:
    top, bottom = ROUTING_PARTS[metric]
    return _rate(counts.get(top, 0), counts.get(bottom, 0))


def suggestion_accuracy(counts: dict[str, int]) -> float | None:
    """Suggestion accuracy = cases first dispatched in the period with a suggested lead
    department whose final lead department is the one suggested first / cases first dispatched
    in the period with a suggestion ("don't know" left out)."""
    return _routing(counts, "suggestion_accuracy")


def followed_return_rate(counts: dict[str, int]) -> float | None:
    """Return rate of followed dispatches = of the cases whose first dispatch in the period went
    to the suggested department, those returned (退回 accepted) at least once / those cases."""
    return _routing(counts, "followed_return_rate")


def overridden_return_rate(counts: dict[str, int]) -> float | None:
    """Return rate of overridden dispatches = as ``followed_return_rate``, for the cases whose
    first dispatch went elsewhere than the suggestion."""
    return _routing(counts, "overridden_return_rate")
