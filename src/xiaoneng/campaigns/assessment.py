"""What the campaigns app gives the assessment dashboard and the bulletin."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from xiaoneng.campaigns.models import Campaign
from xiaoneng.campaigns.selectors import campaign_completion, department_hours


def _current_campaigns(year: int) -> list[Campaign]:
    return list(
        Campaign.objects.exclude(state=Campaign.State.DRAFT)
        .filter(Q(start__year=year) | Q(end__year=year))
        .select_related("organiser")
        .order_by("start", "id")
    )


def campaigns_summary(*, unit_ids: list[int] | None) -> dict[str, Any]:
    """Participation in this year's campaigns (share of participants who handed in and had
    accepted every required submission), missing reflections, and study hours per department
    this year; limited to the given units when ``unit_ids`` is not None."""
    year = timezone.localdate().year
    participants = complete = missing = 0
    campaigns = []
    for campaign in _current_campaigns(year):
        completion = campaign_completion(campaign, unit_ids=unit_ids)
        participants += completion.participants
        complete += completion.complete
        missing += len(completion.missing_reflection)
        campaigns.append(
            {
                "campaign": campaign,
                "participants": completion.participants,
                "complete": completion.complete,
                "percent": completion.percent,
                "missing_reflections": len(completion.missing_reflection),
            }
        )
    hours = department_hours(year=year, unit_ids=unit_ids)
    return {
        "year": year,
        "campaigns": campaigns,
        "participants": participants,
        "complete": complete,
        "participation_percent": round(100 * complete / participants) if participants else None,
        "missing_reflections": missing,
        "study_hours": [
            {"department": row.department, "hours": row.hours, "attendances": row.attendances}
            for row in hours
        ],
        "study_hours_total": sum((row.hours for row in hours), Decimal("0")),
    }


def campaigns_bulletin_line() -> str:
    """One Chinese sentence for the bulletin (official text is Chinese)."""
    summary = campaigns_summary(unit_ids=None)
    hours = summary["study_hours_total"]
    study = f"本年度机关学习累计{hours.normalize():f}人·学时"
    if not summary["participants"]:
        return f"本年度暂无学习讨论活动，{study}。"
    titles = "、".join(f"“{item['campaign'].title}”" for item in summary["campaigns"])
    return (
        f"{titles}活动参加{summary['participants']}人，完成率"
        f"{summary['participation_percent']}%，尚有{summary['missing_reflections']}人"
        f"未提交心得体会；{study}。"
    )
