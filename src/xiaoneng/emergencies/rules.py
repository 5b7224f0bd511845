"""Which report rule applies to an incident, and the default when no row is configured."""

from __future__ import annotations

from dataclasses import dataclass

from xiaoneng.emergencies.models import Grade, ReportRule

# Used when no ReportRule row matches: 初报 within 1 hour; 续报 daily for grades I–III, and
# for grade IV only when the situation changes; 终报 within 7 days of the end of the response.
DEFAULT_INITIAL_HOURS = 1
DEFAULT_PROGRESS_HOURS = {Grade.I: 24, Grade.II: 24, Grade.III: 24, Grade.IV: None}
DEFAULT_FINAL_DAYS = 7


@dataclass(frozen=True)
class Rule:
    initial_hours: int
    progress_hours: int | None
    final_days: int


def rule_for(*, type: str, grade: str) -> Rule:
    """The most specific configured rule: type and grade, then grade, then type, then any."""
    rows = {
        (row.type, row.grade): row
        for row in ReportRule.objects.filter(type__in=[type, ""], grade__in=[grade, ""])
    }
    for key in ((type, grade), ("", grade), (type, ""), ("", "")):
        row = rows.get(key)
        if row is not None:
            return Rule(
                initial_hours=row.initial_hours,
                progress_hours=row.progress_hours,
                final_days=row.final_days,
            )
    return Rule(
        initial_hours=DEFAULT_INITIAL_HOURS,
        progress_hours=DEFAULT_PROGRESS_HOURS[Grade(grade)],
        final_days=DEFAULT_FINAL_DAYS,
    )
