"""Reminders before a requirement's deadline, through the outbox.

Every open campaign's requirement with a minimum reaches its reminder point
``remind_days`` working days before the deadline; from then until the deadline, each
participant who has not handed in enough is reminded once. The database keeps it to once per
person and requirement (``cp_remind_once``), so two sweepers, or the same one run twice, send
nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from xiaoneng.audit.services import log_action
from xiaoneng.campaigns.models import Campaign, CampaignReminder, Requirement
from xiaoneng.campaigns.selectors import campaign_completion
from xiaoneng.notify.services import notify_people
from xiaoneng.workdays.arithmetic import CalendarRangeError
from xiaoneng.workdays.calendar import get_calendar


@dataclass
class RemindResult:
    requirements: int = 0
    sent: int = 0

    def summary(self) -> str:
        return f"requirements={self.requirements} sent={self.sent}"


def working_days_left(today: date, deadline: date, *, unit_id: int | None) -> int:
    """Working days after ``today`` up to and including ``deadline`` (calendar days when the
    calendar does not cover the dates)."""
    try:
        return get_calendar(unit_id).workdays_between(today, deadline)
    except CalendarRangeError:
        return (deadline - today).days


def reminder_due(requirement: Requirement, *, today: date, unit_id: int | None) -> bool:
    if not requirement.required or today > requirement.deadline:
        return False
    left = working_days_left(today, requirement.deadline, unit_id=unit_id)
    return left <= requirement.campaign.remind_days


def campaigns_remind(*, now: datetime | None = None) -> RemindResult:
    """Send the due reminders of every open campaign."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = RemindResult()
    campaigns = Campaign.objects.filter(state=Campaign.State.OPEN).select_related("organiser")
    for campaign in campaigns:
        due = [
            requirement
            for requirement in campaign.requirements.all()
            if reminder_due(requirement, today=today, unit_id=campaign.organiser.unit_id)
        ]
        if not due:
            continue
        completion = campaign_completion(campaign)
        for requirement in due:
            result.requirements += 1
            already = set(requirement.reminders.values_list("staff_id", flat=True))
            for person in completion.people:
                owed = next(o for o in person.owed if o.requirement.pk == requirement.pk)
                staff = person.participant.staff
                if owed.handed_in_enough or staff.pk in already:
                    continue
                if _remind_once(campaign, requirement, staff, owed.missing, now=now):
                    result.sent += 1
    return result


def _remind_once(
    campaign: Campaign, requirement: Requirement, staff: object, missing: int, *, now: datetime
) -> bool:
    kind_label = Requirement.Kind(requirement.kind).label
    try:
        with transaction.atomic():
            CampaignReminder.objects.create(requirement=requirement, staff=staff, sent_at=now)
            log_action(
                action="campaigns.reminder.send",
                obj=campaign,
                unit_id=campaign.organiser.unit_id,
                summary={"requirement": requirement.kind, "staff": staff.pk, "missing": missing},
            )
            notify_people(
                [staff],
                kind="campaigns.reminder",
                subject=gettext("Reminder: %(campaign)s") % {"campaign": campaign.title},
                body=gettext("You still owe %(missing)d %(kind)s; the deadline is %(deadline)s.")
                % {
                    "missing": missing,
                    "kind": kind_label,
                    "deadline": requirement.deadline.isoformat(),
                },
                obj=campaign,
                unit_id=campaign.organiser.unit_id,
            )
    except IntegrityError:
        return False  # Sent a moment ago by another sweeper.
    return True
