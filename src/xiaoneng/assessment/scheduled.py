"""Quarterly, half-year and yearly efficiency reports (季度/半年/年度通报), drafted on schedule.

The periodic job ``assessment.scheduled_reports`` runs every minute; once a quarter, a half
year or a year has ended, it freezes the period's figures into a draft bulletin through the
same builder as a bulletin drafted by hand (``bulletins.bulletin_content``: figures, rankings
by department and by school, evaluation results, typical cases, targets) and tells the
efficiency office. Each period is drafted once (a unique constraint on the kind and start), and
only within ``CATCH_UP_DAYS`` of its end: a deployment started later does not draft old
periods. The draft is then refreshed, approved and published like any bulletin.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from xiaoneng.assessment.bulletins import bulletin_content
from xiaoneng.assessment.models import Bulletin
from xiaoneng.assessment.selectors import Period
from xiaoneng.audit.services import log_action
from xiaoneng.cases.notifications import efficiency_office_staff
from xiaoneng.notify.services import notify_people

CATCH_UP_DAYS = 31
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


def _ended(kind: str, today: date) -> tuple[Period, str]:
    """The latest period of the kind that has ended before ``today``, and its title."""
    year, month = today.year, today.month
    if kind == Bulletin.PeriodKind.QUARTER:
        quarter = (month - 1) // 3  # the current quarter, 0-based; the one before has ended
        if quarter == 0:
            year, quarter = year - 1, 4
        start = date(year, 3 * (quarter - 1) + 1, 1)
        end = (date(year, 3 * quarter, 1) + timedelta(days=31)).replace(day=1) - timedelta(days=1)
        return Period(start, end), f"{year}年{QUARTERS[quarter - 1]}效能建设情况通报"
    if kind == Bulletin.PeriodKind.HALF_YEAR:
        if month <= 6:
            return Period(
                date(year - 1, 7, 1), date(year - 1, 12, 31)
            ), f"{year - 1}年下半年效能建设情况通报"
        return Period(date(year, 1, 1), date(year, 6, 30)), f"{year}年上半年效能建设情况通报"
    return Period(date(year - 1, 1, 1), date(year - 1, 12, 31)), f"{year - 1}年度效能建设情况通报"


def scheduled_reports_draft(*, today: date | None = None) -> list[Bulletin]:
    """Draft every scheduled report whose period has just ended; returns the drafts made."""
    today = today or timezone.localdate()
    made: list[Bulletin] = []
    for kind in Bulletin.PeriodKind.values:
        period, title = _ended(kind, today)
        if (today - period.end).days > CATCH_UP_DAYS:
            continue
        if Bulletin.objects.filter(period_kind=kind, period_from=period.start).exists():
            continue
        try:
            with transaction.atomic():
                bulletin = Bulletin.objects.create(
                    title=title,
                    period_from=period.start,
                    period_to=period.end,
                    period_kind=kind,
                    content=bulletin_content(period),
                    created_at=timezone.now(),
                )
                log_action(
                    action="assessment.report_scheduled",
                    obj=bulletin,
                    summary={"kind": kind, "from": period.start.isoformat()},
                )
                notify_people(
                    efficiency_office_staff(),
                    kind="assessment.report_drafted",
                    subject=title,
                    body=f"{title}（草稿）已按期生成，请核对后报领导审定。",
                    obj=bulletin,
                )
        except IntegrityError:  # another process drafted it a moment before
            continue
        made.append(bulletin)
    return made
