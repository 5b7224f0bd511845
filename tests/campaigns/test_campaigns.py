"""Campaigns: creation rules, participants derived when the campaign opens, and the
draft → open → closed state machine with its illegal transitions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xiaoneng.audit.models import AuditEntry
from xiaoneng.campaigns.models import Campaign, Participant, PartyGroup
from xiaoneng.campaigns.services import (
    campaign_close,
    campaign_open,
    party_group_create,
)
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.models import Unit

from .conftest import BASIC_GROUP, SCHOOL, specs

pytestmark = pytest.mark.django_db


def test_open_derives_participants_from_units_and_party_groups(campaign) -> None:
    people = Participant.objects.filter(campaign=campaign).select_related("staff__user")
    names = {p.staff.user.username for p in people}
    assert names == set(BASIC_GROUP) | set(SCHOOL)
    departments = {p.staff.user.username: p.department.code for p in people}
    assert departments["handler_a"] == "basic"
    assert departments["school_handler"] == "principal"
    assert campaign.state == Campaign.State.OPEN
    assert campaign.opened_at is not None
    entry = AuditEntry.objects.get(action="campaigns.campaign.open")
    assert entry.summary["participants"] == 6


def test_a_person_in_a_unit_and_a_group_takes_part_once(make_campaign, users, staff_of) -> None:
    bureau_group = PartyGroup.objects.get()
    bureau_group.members.add(staff_of("school_head"))  # also in school-1, the other source
    campaign = campaign_open(campaign=make_campaign(), by=users["xiaoneng"])
    assert campaign.participants.filter(staff=staff_of("school_head")).count() == 1
    assert campaign.participants.count() == 6


def test_inactive_staff_do_not_take_part(make_campaign, users) -> None:
    users["school_handler_b"].is_active = False
    users["school_handler_b"].save()
    campaign = campaign_open(campaign=make_campaign(), by=users["xiaoneng"])
    assert campaign.participants.count() == 5


def test_open_twice_and_close_a_draft_are_refused(make_campaign, users) -> None:
    draft = make_campaign()
    with pytest.raises(DomainError) as closing_draft:
        campaign_close(campaign=draft, by=users["xiaoneng"])
    assert closing_draft.value.code == "illegal_transition"
    campaign_open(campaign=draft, by=users["xiaoneng"])
    with pytest.raises(DomainError) as again:
        campaign_open(campaign=draft, by=users["xiaoneng"])
    assert again.value.code == "illegal_transition"
    assert Participant.objects.filter(campaign=draft).count() == 6


def test_close_then_close_again_is_refused(campaign, users) -> None:
    closed = campaign_close(campaign=campaign, by=users["xiaoneng"])
    assert closed.state == Campaign.State.CLOSED
    assert closed.closed_at is not None
    with pytest.raises(DomainError) as again:
        campaign_close(campaign=campaign, by=users["xiaoneng"])
    assert again.value.code == "illegal_transition"
    with pytest.raises(DomainError):
        campaign_open(campaign=campaign, by=users["xiaoneng"])


def test_only_the_efficiency_office_manages_campaigns(make_campaign, users) -> None:
    with pytest.raises(PermissionDenied):
        make_campaign(by=users["head"])
    draft = make_campaign()
    with pytest.raises(PermissionDenied):
        campaign_open(campaign=draft, by=users["leader"])
    assert Campaign.objects.get().state == Campaign.State.DRAFT


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "  "}, "title"),
        ({"units": [], "party_groups": []}, "units or party groups"),
        ({"requirements": []}, "at least one kind"),
        ({"remind_days": 31}, "between 0 and 30"),
    ],
)
def test_bad_campaigns_are_refused(make_campaign, overrides, message) -> None:
    from django.utils import translation

    with pytest.raises(DomainError) as refused:
        make_campaign(**overrides)
    with translation.override("en"):
        assert message in str(refused.value)
    assert not Campaign.objects.exists()


def test_end_before_start_and_deadline_outside_the_period_are_refused(make_campaign) -> None:
    today = timezone.localdate()
    with pytest.raises(DomainError):
        make_campaign(start=today, end=today - timedelta(days=1))
    late = specs(today)
    late[0] = late[0].__class__("notes", 2, 10, today + timedelta(days=90))
    with pytest.raises(DomainError):
        make_campaign(requirements=late)
    twice = specs(today)
    twice[1] = twice[0]
    with pytest.raises(DomainError):
        make_campaign(requirements=twice)
    assert not Campaign.objects.exists()


def test_a_party_group_takes_members_of_its_own_unit_only(users, staff_of) -> None:
    with pytest.raises(DomainError):
        party_group_create(
            by=users["xiaoneng"],
            name="混合党小组",
            unit=Unit.objects.get(code="bureau"),
            members=[staff_of("head"), staff_of("school_head")],
        )
    group = party_group_create(
        by=users["xiaoneng"],
        name="党小组",
        unit=Unit.objects.get(code="bureau"),
        members=[staff_of("head")],
    )
    assert list(group.members.all()) == [staff_of("head")]
    with pytest.raises(DomainError):
        party_group_create(by=users["xiaoneng"], name="党小组", unit=group.unit)
    with pytest.raises(PermissionDenied):
        party_group_create(by=users["head"], name="另一组", unit=group.unit)
