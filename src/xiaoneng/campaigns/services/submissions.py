"""Submissions: a participant hands in a text, the organisers accept or return it, and pick
reflections for the summary.

States: submitted → accepted | returned; returned → resubmitted; resubmitted → accepted |
returned. Accepted is final; anything else is refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.campaigns.models import Campaign, Participant, Requirement, Submission
from xiaoneng.campaigns.permissions import may_review
from xiaoneng.errors import DomainError, PermissionDenied, lazy_format
from xiaoneng.notify.services import notify_people
from xiaoneng.org.selectors import staff_for
from xiaoneng.web.uploads import check_upload

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

S = Submission.State
REVIEWABLE = (S.SUBMITTED, S.RESUBMITTED)


def text_length(text: str) -> int:
    """Characters that count toward the minimum: everything but whitespace."""
    return len("".join((text or "").split()))


def _check_text(requirement: Requirement, title: str, text: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Give your submission a title."))
    length = text_length(text)
    if length == 0:
        raise DomainError(_("Write the text of your submission."))
    if length < requirement.min_length:
        raise DomainError(
            lazy_format(
                _(
                    "The text has %(length)d characters; a %(kind)s needs at least %(min)d. "
                    "Nothing was saved."
                ),
                {
                    "length": length,
                    "kind": Requirement.Kind(requirement.kind).label,
                    "min": requirement.min_length,
                },
            )
        )
    return title, text.strip()


def _attach(submission: Submission, file: UploadedFile | None) -> None:
    if file is None:
        return
    name, content_type, size = check_upload(file)
    submission.file = file
    submission.file_name, submission.file_type, submission.file_size = name, content_type, size


def _is_late(requirement: Requirement) -> bool:
    return timezone.localdate() > requirement.deadline


def submission_create(
    *,
    by: User,
    campaign: Campaign,
    requirement: Requirement,
    title: str,
    text: str,
    file: UploadedFile | None = None,
) -> Submission:
    """A participant's text for one requirement of an open campaign. After the deadline it is
    still accepted, marked late."""
    staff = staff_for(by)
    if requirement.campaign_id != campaign.pk:
        raise DomainError(_("This kind of submission is not part of the campaign."))
    title, text = _check_text(requirement, title, text)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.state != Campaign.State.OPEN:
            raise DomainError(_("The campaign is not open for submissions."))
        participant = Participant.objects.filter(campaign=campaign, staff=staff).first()
        if staff is None or participant is None:
            raise PermissionDenied(_("You are not a participant of this campaign."))
        submission = Submission(
            campaign=campaign,
            requirement=requirement,
            participant=participant,
            title=title,
            text=text,
            late=_is_late(requirement),
            submitted_at=timezone.now(),
        )
        _attach(submission, file)
        submission.save()
        log_action(
            action="campaigns.submission.create",
            obj=submission,
            actor=by,
            unit_id=campaign.organiser.unit_id,
            summary={
                "campaign": campaign.pk,
                "kind": requirement.kind,
                "length": text_length(text),
                "late": submission.late,
            },
        )
    return submission


def _locked(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("campaign__organiser", "requirement", "participant__staff__user")
        .get(pk=submission.pk)
    )


def submission_resubmit(
    *, by: User, submission: Submission, title: str, text: str, file: UploadedFile | None = None
) -> Submission:
    """The author reworks a returned submission."""
    staff = staff_for(by)
    with transaction.atomic():
        submission = _locked(submission)
        if staff is None or submission.participant.staff_id != staff.pk:
            raise PermissionDenied(_("Only the author may rework a submission."))
        if submission.state != S.RETURNED:
            raise DomainError(
                _("Only a submission returned for rework can be resubmitted."),
                code="illegal_transition",
            )
        if submission.campaign.state != Campaign.State.OPEN:
            raise DomainError(_("The campaign is not open for submissions."))
        submission.title, submission.text = _check_text(submission.requirement, title, text)
        _attach(submission, file)
        submission.state = S.RESUBMITTED
        submission.late = _is_late(submission.requirement)
        submission.submitted_at = timezone.now()
        submission.save()
        log_action(
            action="campaigns.submission.resubmit",
            obj=submission,
            actor=by,
            unit_id=submission.unit_id,
            summary={"length": text_length(submission.text), "late": submission.late},
        )
    return submission


def _review(by: User, submission: Submission) -> Submission:
    submission = _locked(submission)
    if not may_review(by, submission.campaign):
        raise PermissionDenied(
            _("Only the efficiency office or the head of the organising office reviews.")
        )
    return submission


def submission_accept(*, by: User, submission: Submission) -> Submission:
    with transaction.atomic():
        submission = _review(by, submission)
        if submission.state not in REVIEWABLE:
            raise DomainError(
                _("Only a submission awaiting review can be accepted."),
                code="illegal_transition",
            )
        submission.state = S.ACCEPTED
        submission.reviewed_by, submission.reviewed_at = by, timezone.now()
        submission.save(update_fields=["state", "reviewed_by", "reviewed_at"])
        log_action(
            action="campaigns.submission.accept",
            obj=submission,
            actor=by,
            unit_id=submission.unit_id,
            summary={"campaign": submission.campaign_id},
        )
    return submission


def submission_return(*, by: User, submission: Submission, reason: str) -> Submission:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the submission is returned."))
    with transaction.atomic():
        submission = _review(by, submission)
        if submission.state not in REVIEWABLE:
            raise DomainError(
                _("Only a submission awaiting review can be returned."),
                code="illegal_transition",
            )
        submission.state = S.RETURNED
        submission.return_reason = reason[:2000]
        submission.return_count += 1
        submission.reviewed_by, submission.reviewed_at = by, timezone.now()
        submission.save(
            update_fields=["state", "return_reason", "return_count", "reviewed_by", "reviewed_at"]
        )
        log_action(
            action="campaigns.submission.return",
            obj=submission,
            actor=by,
            unit_id=submission.unit_id,
            summary={"campaign": submission.campaign_id, "reason": submission.return_reason},
        )
        notify_people(
            [submission.participant.staff],
            kind="campaigns.returned",
            subject=gettext("Your submission “%(title)s” was returned for rework")
            % {"title": submission.title},
            body=submission.return_reason,
            obj=submission,
            unit_id=submission.unit_id,
        )
    return submission


def submission_select(*, by: User, submission: Submission, selected: bool = True) -> Submission:
    """Mark (or unmark) an accepted reflection for the campaign's summary."""
    with transaction.atomic():
        submission = _review(by, submission)
        if submission.requirement.kind != Requirement.Kind.REFLECTION:
            raise DomainError(_("Only reflections are selected for the summary."))
        if submission.state != S.ACCEPTED:
            raise DomainError(
                _("Accept the reflection before selecting it."), code="illegal_transition"
            )
        submission.selected = bool(selected)
        submission.save(update_fields=["selected"])
        log_action(
            action="campaigns.submission.select",
            obj=submission,
            actor=by,
            unit_id=submission.unit_id,
            summary={"selected": submission.selected},
        )
    return submission
