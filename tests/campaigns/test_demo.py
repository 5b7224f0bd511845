"""The demo campaign and study sessions load through the services, twice without duplicates."""

from __future__ import annotations

import pytest

from xiaoneng.campaigns.demo import DEMO_TITLE, demo_campaigns_load
from xiaoneng.campaigns.models import Attendance, Campaign, StudySession, Submission
from xiaoneng.campaigns.selectors import campaign_completion

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_without_duplicating(demo_org) -> None:
    assert demo_campaigns_load() == 3
    counts = (
        Campaign.objects.count(),
        Submission.objects.count(),
        StudySession.objects.count(),
        Attendance.objects.count(),
    )
    assert demo_campaigns_load() == 0
    assert (
        (
            Campaign.objects.count(),
            Submission.objects.count(),
            StudySession.objects.count(),
            Attendance.objects.count(),
        )
        == counts
        == (1, 7, 2, 8)
    )

    campaign = Campaign.objects.get(title=DEMO_TITLE)
    assert campaign.state == "open"
    assert Submission.objects.filter(state="returned").count() == 1
    assert Submission.objects.filter(selected=True).count() == 1
    completion = campaign_completion(campaign)
    assert completion.participants == 8
    missing = {p.participant.staff.user.username for p in completion.missing_reflection}
    assert missing == {"head", "handler_b", "xiaoneng", "leader", "school_head", "school_handler_b"}


def test_the_office_sees_who_has_not_handed_in_on_the_demo(client, demo_org, demo_password):
    from django.urls import reverse

    demo_campaigns_load()
    campaign = Campaign.objects.get(title=DEMO_TITLE)
    assert client.login(username="xiaoneng", password=demo_password)
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.pk])).content.decode()
    missing = page.split('data-testid="missing"')[1].split("</ul>")[0]
    for name in ("陈静", "赵强", "刘建国"):
        assert name in missing
    assert "李娜" not in missing
    assert client.login(username="handler_b", password=demo_password)
    mine = client.get(reverse("campaigns:my_submissions")).content.decode()
    assert "学习心得" in mine


def test_every_page_renders_on_the_demo(client, demo_org, demo_password) -> None:
    from django.urls import reverse

    from xiaoneng.org.models import Staff

    demo_campaigns_load()
    campaign = Campaign.objects.get(title=DEMO_TITLE)
    session = StudySession.objects.order_by("pk").first()
    returned = Submission.objects.get(state="returned")
    pages = [
        reverse("campaigns:campaign_list"),
        reverse("campaigns:campaign_new"),
        reverse("campaigns:party_groups"),
        reverse("campaigns:campaign_detail", args=[campaign.pk]),
        reverse("campaigns:review_list", args=[campaign.pk]),
        reverse("campaigns:submission_detail", args=[returned.pk]),
        reverse("campaigns:session_list"),
        reverse("campaigns:session_new"),
        reverse("campaigns:session_detail", args=[session.pk]),
        reverse("campaigns:hours"),
        reverse("campaigns:my_record"),
        reverse("campaigns:person_record", args=[Staff.objects.get(user__username="head").pk]),
    ]
    assert client.login(username="xiaoneng", password=demo_password)
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert client.login(username="handler_b", password=demo_password)
    rework = client.get(reverse("campaigns:submission_detail", args=[returned.pk]))
    assert reverse("campaigns:submission_resubmit", args=[returned.pk]) in rework.content.decode()
    assert client.get(reverse("campaigns:submission_new", args=[campaign.pk])).status_code == 200
