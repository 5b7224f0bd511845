"""The figures of internal matters (政令畅通) on the dashboard, in the rankings and in the
bulletin: counts from ``internal.selectors``, rates from ``metrics``, every number linked to
the list of the matters it counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from xiaoneng.assessment.metrics import (
    instruction_completion_rate,
    request_reply_timely_rate,
    return_attempts,
)
from xiaoneng.assessment.selectors import Period
from xiaoneng.internal.selectors import (
    COUNTED,
    internal_counts,
    internal_counts_by_department,
)


def internal_url(period: Period, counted: str, department: int | None = None) -> str:
    """The 内部事项 list of exactly the matters a count is made of."""
    params: dict[str, Any] = {
        "counted": counted,
        "date_from": period.start.isoformat(),
        "date_to": period.end.isoformat(),
    }
    if department:
        params["department"] = department
    return f"{reverse('internal:list')}?{urlencode(params)}"


@dataclass(frozen=True)
class InternalFigures:
    id: int | None
    name: str
    counts: dict[str, int]
    links: dict[str, str]

    @property
    def request_reply_timely_rate(self) -> float | None:
        return request_reply_timely_rate(self.counts)

    @property
    def instruction_completion_rate(self) -> float | None:
        return instruction_completion_rate(self.counts)

    @property
    def return_attempts(self) -> int:
        return return_attempts(self.counts)


def _links(period: Period, department: int | None) -> dict[str, str]:
    return {name: internal_url(period, name, department) for name in COUNTED}


def internal_figures(period: Period, *, department_id: int | None = None) -> InternalFigures:
    start, end = period.moments()
    counts = internal_counts(start=start, end=end, department_id=department_id)
    return InternalFigures(
        id=department_id, name="", counts=counts, links=_links(period, department_id)
    )


def _rank_key(row: InternalFigures) -> tuple[float, float, int]:
    timely = row.request_reply_timely_rate
    done = row.instruction_completion_rate
    return (
        -(timely if timely is not None else -1),
        -(done if done is not None else -1),
        row.return_attempts,
    )


def internal_ranking(period: Period) -> list[InternalFigures]:
    """Departments by 请示回复及时率, then 批办件办结率, then fewest return attempts."""
    start, end = period.moments()
    rows = [
        InternalFigures(id=row.id, name=row.name, counts=row.counts, links=_links(period, row.id))
        for row in internal_counts_by_department(start=start, end=end)
    ]
    return sorted(rows, key=_rank_key)


def internal_content(period: Period) -> dict[str, Any]:
    """What a bulletin freezes (JSON-serialisable)."""
    total = internal_figures(period)
    return {
        "counts": total.counts,
        "request_reply_timely_rate": total.request_reply_timely_rate,
        "instruction_completion_rate": total.instruction_completion_rate,
        "departments": [
            {
                "id": row.id,
                "name": row.name,
                "counts": row.counts,
                "request_reply_timely_rate": row.request_reply_timely_rate,
                "instruction_completion_rate": row.instruction_completion_rate,
            }
            for row in internal_ranking(period)
        ],
    }
