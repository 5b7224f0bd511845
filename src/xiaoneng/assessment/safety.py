"""The campus-safety figures of the dashboard and the bulletin, computed here from the
emergencies selectors (emergencies never imports assessment): drills held this term, the
schools that meet the bureau's drill requirements and those behind, and the schools keeping
an emergency plan. Every number comes with the link to the records it counts."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from xiaoneng.assessment.metrics import drill_compliance_rate
from xiaoneng.emergencies.selectors_drills import drill_overview


def safety_summary(*, today: date, unit_ids: list[int] | None = None) -> dict[str, Any]:
    """The term of ``today``: drills held by the schools (and people taking part), schools
    meeting every requirement so far, schools behind (by name), schools with a plan."""
    overview = drill_overview(today=today, unit_ids=unit_ids)
    rows, term = overview.schools, overview.term
    required = bool(overview.requirements)
    behind = [row.unit for row in rows if row.behind] if required else []
    met = len(rows) - len(behind) if required else 0
    scope = {"unit": unit_ids[0]} if unit_ids and len(unit_ids) == 1 else {}
    window = {**scope, "from": term.start.isoformat(), "to": term.end.isoformat(), "schools": "on"}
    status_url = f"{reverse('emergencies:drill_status')}?{urlencode({**scope, 'show': ''})}"
    return {
        "term": term.label,
        "start": term.start,
        "end": term.end,
        "schools": len(rows),
        "required": required,
        "met": met,
        "behind": len(behind),
        # In the reader's language; the bulletin's sentence names them in Chinese (below).
        "behind_names": [unit.short_label for unit in behind],
        "behind_chinese": [unit.short_name or unit.name for unit in behind],
        "compliance_rate": drill_compliance_rate(met, len(rows)) if required else None,
        "drills": overview.term_drills,
        "participants": overview.term_participants,
        "with_plan": sum(1 for row in rows if row.plans),
        "links": {
            "drills": f"{reverse('emergencies:drills')}?{urlencode(window)}",
            "schools": status_url,
            "met": f"{status_url}met",
            "behind": f"{status_url}behind",
            "plans": f"{status_url}planned",
        },
    }


def safety_bulletin_line(*, today: date) -> str:
    """One Chinese sentence for the bulletin (official text is Chinese)."""
    s = safety_summary(today=today)
    line = f"{s['term']}，各学校开展应急演练{s['drills']}次，参演{s['participants']}人次"
    if not s["required"]:
        return line + "。"
    line += f"；{s['schools']}所学校中{s['met']}所已达到局定演练要求"
    if s["behind_chinese"]:
        line += f"，{'、'.join(s['behind_chinese'])}尚未达到"
    return line + "。"
