"""Fixtures for campaign tests: a campaign of school-1 and a bureau party group (six people in
two departments), a helper to hand in texts, and a signed-in client."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from xiaoneng.campaigns.models import Campaign, PartyGroup, Requirement, Submission
from xiaoneng.campaigns.services import (
    RequirementSpec,
    campaign_create,
    campaign_open,
    party_group_create,
    submission_create,
)
from xiaoneng.org.models import Department, Unit

PDF = b"%PDF-1.4\n% test\n"
NOTES = "认真学习效能建设讲话精神，对照目标找差距。"  # 21 characters
REFLECTION = "参加大讨论以来，我深刻认识到机关效能直接关系群众的获得感，要马上就办、办就办好。"
BASIC_GROUP = ("head", "handler_a", "handler_b")
SCHOOL = ("school_head", "school_handler", "school_handler_b")


@pytest.fixture
def login(client, demo_org, demo_password):
    def sign_in(username: str):
        client.logout()
        assert client.login(username=username, password=demo_password)
        return client

    return sign_in


@pytest.fixture
def efficiency(demo_org) -> Department:
    return Department.objects.get(unit__code="bureau", code="efficiency")


@pytest.fixture
def basic(demo_org) -> Department:
    return Department.objects.get(unit__code="bureau", code="basic")


@pytest.fixture
def group(users, staff_of) -> PartyGroup:
    return party_group_create(
        by=users["xiaoneng"],
        name="基础教育科党小组",
        unit=Unit.objects.get(code="bureau"),
        members=[staff_of(name) for name in BASIC_GROUP],
    )


def specs(today: date, *, notes_length: int = 10, reflection_length: int = 20) -> list:
    return [
        RequirementSpec("notes", 2, notes_length, today + timedelta(days=10)),
        RequirementSpec("reflection", 1, reflection_length, today + timedelta(days=20)),
        RequirementSpec("proposal", 0, 0, today + timedelta(days=30)),
    ]


@pytest.fixture
def make_campaign(users, efficiency, group):
    def make(**overrides) -> Campaign:
        today = timezone.localdate()
        fields = {
            "by": users["xiaoneng"],
            "title": "效能革命大讨论",
            "description": "人人撰写学习笔记和心得体会。",
            "start": today - timedelta(days=5),
            "end": today + timedelta(days=30),
            "organiser": efficiency,
            "units": [Unit.objects.get(code="school-1")],
            "party_groups": [group],
            "requirements": specs(today),
        }
        fields.update(overrides)
        return campaign_create(**fields)

    return make


@pytest.fixture
def campaign(make_campaign, users) -> Campaign:
    """Open, with six participants: three of school-1's principal office, three of basic."""
    return campaign_open(campaign=make_campaign(), by=users["xiaoneng"])


def requirement(campaign: Campaign, kind: str) -> Requirement:
    return campaign.requirements.get(kind=kind)


@pytest.fixture
def submit(users):
    def hand_in(
        campaign: Campaign, username: str, kind: str, text: str | None = None, **extra
    ) -> Submission:
        return submission_create(
            by=users[username],
            campaign=campaign,
            requirement=requirement(campaign, kind),
            title=extra.pop("title", f"{kind} of {username}"),
            text=text if text is not None else (REFLECTION if kind == "reflection" else NOTES),
            **extra,
        )

    return hand_in
