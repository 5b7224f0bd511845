"""Completion figures on crafted data: per person, per department, who has not handed in a
reflection, and what the assessment dashboard and bulletin receive."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from xiaoneng.campaigns.assessment import campaigns_bulletin_line, campaigns_summary
from xiaoneng.campaigns.selectors import campaign_completion, person_completion
from xiaoneng.campaigns.services import (
    attendance_record,
    study_session_create,
    submission_accept,
    submission_return,
)
from xiaoneng.org.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def crafted(campaign, submit, users):
    """handler_a, school_head, school_handler_b complete; handler_b's reflection returned;
    head has one note awaiting review and a reflection awaiting review; school_handler has
    nothing."""
    office = users["xiaoneng"]

    def accepted(username: str, kind: str) -> None:
        submission_accept(by=office, submission=submit(campaign, username, kind))

    for username in ("handler_a", "school_head", "school_handler_b", "handler_b"):
        accepted(username, "notes")
        accepted(username, "notes")
    for username in ("handler_a", "school_head", "school_handler_b"):
        accepted(username, "reflection")
    submission_return(
        by=office, submission=submit(campaign, "handler_b", "reflection"), reason="重写"
    )
    accepted("head", "notes")
    submit(campaign, "head", "notes")
    submit(campaign, "head", "reflection")
    submit(campaign, "school_head", "proposal", text="建议简化流程。")
    return campaign


def _names(people) -> list[str]:
    return sorted(person.participant.staff.user.username for person in people)


def test_completion_by_department_and_person(crafted, staff_of) -> None:
    completion = campaign_completion(crafted)
    assert completion.participants == 6
    assert completion.complete == 3
    assert completion.percent == 50
    rows = {row.department.code: row for row in completion.departments}
    assert (rows["basic"].participants, rows["basic"].complete, rows["basic"].percent) == (3, 1, 33)
    assert (rows["principal"].participants, rows["principal"].complete) == (3, 2)
    assert rows["principal"].percent == 67
    assert _names(completion.missing_reflection) == ["handler_b", "school_handler"]

    head = person_completion(crafted, staff_of("head"))
    owed = {item.requirement.kind: item for item in head.owed}
    assert (owed["notes"].handed_in, owed["notes"].accepted, owed["notes"].met) == (2, 1, False)
    assert (owed["reflection"].handed_in, owed["reflection"].accepted) == (1, 0)
    assert head.complete is False
    handler_b = person_completion(crafted, staff_of("handler_b"))
    owed = {item.requirement.kind: item for item in handler_b.owed}
    assert owed["reflection"].handed_in == 0
    assert owed["reflection"].missing == 1
    school_head = person_completion(crafted, staff_of("school_head"))
    assert school_head.complete is True
    assert {i.requirement.kind: i.handed_in for i in school_head.owed}["proposal"] == 1


def test_completion_limited_to_units(crafted) -> None:
    school = Unit.objects.get(code="school-1")
    completion = campaign_completion(crafted, unit_ids=[school.pk])
    assert (completion.participants, completion.complete) == (3, 2)
    assert _names(completion.missing_reflection) == ["school_handler"]


def test_assessment_summary_and_bulletin(crafted, users, basic, staff_of) -> None:
    session = study_session_create(
        by=users["head"],
        date=timezone.localdate(),
        topic="政策解读",
        category="policy",
        hours="1.5",
        department=basic,
    )
    attendance_record(
        by=users["head"],
        session=session,
        staff=[staff_of("head"), staff_of("handler_a"), staff_of("school_head")],
    )
    summary = campaigns_summary(unit_ids=None)
    assert summary["participation_percent"] == 50
    assert summary["participants"] == 6
    assert summary["missing_reflections"] == 2
    hours = {row["department"].code: row["hours"] for row in summary["study_hours"]}
    assert hours == {"basic": Decimal("3.0"), "principal": Decimal("1.5")}
    assert summary["study_hours_total"] == Decimal("4.5")

    school = campaigns_summary(unit_ids=[Unit.objects.get(code="school-1").pk])
    assert (school["participation_percent"], school["missing_reflections"]) == (67, 1)
    assert [row["department"].code for row in school["study_hours"]] == ["principal"]

    line = campaigns_bulletin_line()
    assert "效能革命大讨论" in line
    assert "参加6人" in line
    assert "50%" in line
    assert "2人未提交心得体会" in line
    assert "4.5人·学时" in line


def test_nothing_this_year(demo_org) -> None:
    summary = campaigns_summary(unit_ids=None)
    assert summary["participation_percent"] is None
    assert summary["missing_reflections"] == 0
    assert "暂无" in campaigns_bulletin_line()


def test_a_draft_campaign_is_not_counted(make_campaign) -> None:
    make_campaign(start=timezone.localdate() - timedelta(days=1))
    assert campaigns_summary(unit_ids=None)["campaigns"] == []


def test_the_assessment_block_renders_the_figures(crafted) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        html = render_to_string(
            "campaigns/_assessment_block.html",
            {"campaigns_summary": campaigns_summary(unit_ids=None)},
        )
    assert "Participation: 50%" in html
    assert "2 people have not handed in a reflection." in html
