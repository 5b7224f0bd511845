"""Reminders before a deadline: from the configured number of working days before it, once
per person and requirement, only to people who have not handed in enough."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from xiaoneng import periodic
from xiaoneng.campaigns.models import CampaignReminder
from xiaoneng.campaigns.reminders import campaigns_remind
from xiaoneng.campaigns.services import RequirementSpec, campaign_open
from xiaoneng.notify.models import Notification

from .conftest import BASIC_GROUP, SCHOOL

pytestmark = pytest.mark.django_db

# Monday 2 March 2026; the notes are due on Friday 13 March, the reflection on Friday 20th.
START = date(2026, 3, 2)
NOTES_DUE = date(2026, 3, 13)


def at(day: date) -> time_machine.travel:
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(9))), tick=False)


@pytest.fixture
def reminded_campaign(make_campaign, users):
    def make(remind_days: int = 2):
        with at(START):
            campaign = make_campaign(
                start=START,
                end=START + timedelta(days=40),
                remind_days=remind_days,
                requirements=[
                    RequirementSpec("notes", 2, 5, NOTES_DUE),
                    RequirementSpec("reflection", 1, 5, date(2026, 3, 20)),
                    RequirementSpec("proposal", 0, 0, date(2026, 4, 10)),
                ],
            )
            return campaign_open(campaign=campaign, by=users["xiaoneng"])

    return make


def _reminded() -> set[str]:
    return {
        r.staff.user.username
        for r in CampaignReminder.objects.select_related("staff__user", "requirement")
        if r.requirement.kind == "notes"
    }


def test_no_reminder_before_the_point(reminded_campaign) -> None:
    reminded_campaign()
    with at(date(2026, 3, 10)):  # Tuesday: three working days left
        assert campaigns_remind().sent == 0
    assert not CampaignReminder.objects.exists()
    assert not Notification.objects.filter(kind="campaigns.reminder").exists()


def test_reminded_once_even_when_run_twice(reminded_campaign, submit) -> None:
    campaign = reminded_campaign()
    with at(date(2026, 3, 5)):
        submit(campaign, "handler_a", "notes")
        submit(campaign, "handler_a", "notes")  # enough handed in: no reminder
        submit(campaign, "head", "notes")  # one short: reminded
    with at(date(2026, 3, 11)):  # Wednesday: two working days left
        first = campaigns_remind()
        second = campaigns_remind()
    assert first.sent == 5
    assert second.sent == 0
    everyone = set(BASIC_GROUP) | set(SCHOOL)
    assert _reminded() == everyone - {"handler_a"}
    notes = Notification.objects.filter(kind="campaigns.reminder")
    assert notes.count() == 5
    assert {n.recipient_user.username for n in notes} == everyone - {"handler_a"}
    with at(date(2026, 3, 12)):  # the next day changes nothing either
        assert campaigns_remind().sent == 0
    assert Notification.objects.filter(kind="campaigns.reminder").count() == 5


def test_the_number_of_working_days_is_configurable(reminded_campaign) -> None:
    reminded_campaign(remind_days=5)
    with at(date(2026, 3, 5)):  # Thursday: six working days left
        assert campaigns_remind().sent == 0
    with at(date(2026, 3, 6)):  # Friday: five working days left
        assert campaigns_remind().sent == 6
    assert _reminded() == set(BASIC_GROUP) | set(SCHOOL)


def test_no_reminder_after_the_deadline_nor_for_optional_kinds(reminded_campaign) -> None:
    reminded_campaign()
    with at(date(2026, 4, 9)):
        assert campaigns_remind().sent == 0
    assert not CampaignReminder.objects.exists()


def test_the_database_keeps_one_reminder_per_person(reminded_campaign, staff_of) -> None:
    campaign = reminded_campaign()
    notes = campaign.requirements.get(kind="notes")
    CampaignReminder.objects.create(
        requirement=notes, staff=staff_of("head"), sent_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignReminder.objects.create(
            requirement=notes, staff=staff_of("head"), sent_at=timezone.now()
        )


def test_the_job_is_registered() -> None:
    assert "campaigns.remind" in {job.name for job in periodic.registered_jobs()}
