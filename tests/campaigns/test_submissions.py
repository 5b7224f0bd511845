"""Submissions: length and participation rules, late marking, the review state machine
(submitted → accepted / returned → resubmitted …) with illegal transitions, and selection."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from xiaoneng.campaigns.models import Campaign, Submission
from xiaoneng.campaigns.services import (
    campaign_close,
    campaign_create,
    campaign_open,
    submission_accept,
    submission_resubmit,
    submission_return,
    submission_select,
)
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.models import Notification

from .conftest import PDF, REFLECTION, requirement

pytestmark = pytest.mark.django_db
S = Submission.State


def test_a_reflection_shorter_than_the_minimum_is_refused_with_its_figures(campaign, submit):
    with pytest.raises(DomainError) as refused:
        submit(campaign, "handler_a", "reflection", text="太短了。 只有几个字")
    with translation.override("en"):
        message = str(refused.value)
    assert "9 characters" in message
    assert "at least 20" in message
    assert "Reflection" in message
    assert not Submission.objects.exists()


def test_whitespace_does_not_count_toward_the_length(campaign, submit) -> None:
    with pytest.raises(DomainError):
        submit(campaign, "handler_a", "notes", text="学 习 " * 4 + "\n" * 30)
    assert submit(campaign, "handler_a", "notes", text="学习" * 5).state == S.SUBMITTED


def test_only_participants_of_an_open_campaign_submit(campaign, make_campaign, submit, users):
    with pytest.raises(PermissionDenied):
        submit(campaign, "xiaoneng", "notes")
    draft = make_campaign(title="另一次讨论")
    with pytest.raises(DomainError):
        submit(draft, "handler_a", "notes")
    campaign_close(campaign=campaign, by=users["xiaoneng"])
    with pytest.raises(DomainError):
        submit(campaign, "handler_a", "notes")
    assert not Submission.objects.exists()


def test_a_requirement_of_another_campaign_is_refused(campaign, make_campaign, users) -> None:
    from xiaoneng.campaigns.services import submission_create

    other = make_campaign(title="另一次讨论")
    with pytest.raises(DomainError):
        submission_create(
            by=users["handler_a"],
            campaign=campaign,
            requirement=requirement(other, "notes"),
            title="笔记",
            text=REFLECTION,
        )


def test_after_the_deadline_a_submission_is_accepted_but_marked_late(campaign, submit) -> None:
    on_time = submit(campaign, "handler_a", "notes")
    assert on_time.late is False
    deadline = requirement(campaign, "notes").deadline
    after = timezone.make_aware(datetime.combine(deadline + timedelta(days=1), time(9)))
    with time_machine.travel(after, tick=False):
        late = submit(campaign, "handler_b", "notes")
    assert late.late is True
    assert late.state == S.SUBMITTED


def test_the_whole_review_cycle_and_its_illegal_steps(campaign, submit, users) -> None:
    office = users["xiaoneng"]
    first = submit(campaign, "handler_a", "reflection")
    with pytest.raises(DomainError) as no_reason:
        submission_return(by=office, submission=first, reason="  ")
    with translation.override("en"):
        assert "why the submission is returned" in str(no_reason.value)
    with pytest.raises(DomainError) as not_returned:
        submission_resubmit(by=users["handler_a"], submission=first, title="再", text=REFLECTION)
    assert not_returned.value.code == "illegal_transition"

    returned = submission_return(by=office, submission=first, reason="请结合工作实际。")
    assert returned.state == S.RETURNED
    assert returned.return_count == 1
    with pytest.raises(DomainError) as accept_returned:
        submission_accept(by=office, submission=returned)
    assert accept_returned.value.code == "illegal_transition"
    with pytest.raises(PermissionDenied):
        submission_resubmit(by=users["handler_b"], submission=returned, title="x", text=REFLECTION)

    again = submission_resubmit(
        by=users["handler_a"], submission=returned, title="修改稿", text=REFLECTION + "再补充。"
    )
    assert again.state == S.RESUBMITTED
    assert again.title == "修改稿"
    accepted = submission_accept(by=office, submission=again)
    assert accepted.state == S.ACCEPTED
    assert accepted.reviewed_by == office
    for step in (
        lambda: submission_accept(by=office, submission=accepted),
        lambda: submission_return(by=office, submission=accepted, reason="再改"),
        lambda: submission_resubmit(
            by=users["handler_a"], submission=accepted, title="x", text=REFLECTION
        ),
    ):
        with pytest.raises(DomainError) as illegal:
            step()
        assert illegal.value.code == "illegal_transition"
    accepted.refresh_from_db()
    assert accepted.state == S.ACCEPTED


def test_a_resubmission_is_checked_for_length_too(campaign, submit, users) -> None:
    first = submit(campaign, "handler_a", "reflection")
    submission_return(by=users["xiaoneng"], submission=first, reason="重写")
    with pytest.raises(DomainError):
        submission_resubmit(by=users["handler_a"], submission=first, title="短", text="太短")
    first.refresh_from_db()
    assert first.state == S.RETURNED
    assert first.text == REFLECTION


def test_returning_tells_the_author(campaign, submit, users) -> None:
    first = submit(campaign, "handler_a", "notes")
    submission_return(by=users["xiaoneng"], submission=first, reason="字迹潦草")
    note = Notification.objects.get(kind="campaigns.returned")
    assert note.recipient_user == users["handler_a"]
    assert note.body == "字迹潦草"


def test_reviewers_are_the_office_and_the_organising_head(
    make_campaign, basic, submit, users
) -> None:
    campaign = campaign_open(campaign=make_campaign(organiser=basic), by=users["xiaoneng"])
    first = submit(campaign, "handler_a", "notes")
    for outsider in ("handler_b", "school_head", "leader"):
        with pytest.raises(PermissionDenied):
            submission_accept(by=users[outsider], submission=first)
    assert submission_accept(by=users["head"], submission=first).state == S.ACCEPTED
    second = submit(campaign, "handler_b", "notes")
    assert submission_accept(by=users["xiaoneng"], submission=second).state == S.ACCEPTED


def test_only_an_accepted_reflection_is_selected(campaign, submit, users) -> None:
    office = users["xiaoneng"]
    notes = submission_accept(by=office, submission=submit(campaign, "handler_a", "notes"))
    with pytest.raises(DomainError):
        submission_select(by=office, submission=notes)
    reflection = submit(campaign, "handler_a", "reflection")
    with pytest.raises(DomainError) as early:
        submission_select(by=office, submission=reflection)
    assert early.value.code == "illegal_transition"
    submission_accept(by=office, submission=reflection)
    assert submission_select(by=office, submission=reflection).selected is True
    assert submission_select(by=office, submission=reflection, selected=False).selected is False
    with pytest.raises(PermissionDenied):
        submission_select(by=users["handler_a"], submission=reflection)


def test_an_attachment_is_checked_by_its_content(campaign, submit) -> None:
    good = submit(
        campaign,
        "handler_a",
        "notes",
        file=SimpleUploadedFile("笔记.pdf", PDF, content_type="application/pdf"),
    )
    assert good.file_name == "笔记.pdf"
    assert good.file_type == "application/pdf"
    with pytest.raises(DomainError):
        submit(
            campaign,
            "handler_b",
            "notes",
            file=SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf"),
        )
    assert Submission.objects.count() == 1


def test_campaign_create_is_atomic(users, efficiency) -> None:
    today = timezone.localdate()
    from .conftest import specs

    bad = specs(today)
    bad[2] = bad[2].__class__("proposal", -1, 0, today)
    with pytest.raises(DomainError):
        campaign_create(
            by=users["xiaoneng"],
            title="x",
            start=today,
            end=today + timedelta(days=30),
            organiser=efficiency,
            party_groups=[],
            units=[efficiency.unit],
            requirements=bad,
        )
    assert not Campaign.objects.exists()
