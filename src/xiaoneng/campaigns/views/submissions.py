"""Submissions: my campaigns and submissions, the submission form, a submission's page with
rework for the author and review for the organisers, and the review queue of a campaign."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.campaigns import services
from xiaoneng.campaigns.forms import ResubmitForm, ReviewForm, SubmissionForm
from xiaoneng.campaigns.models import Campaign, Submission
from xiaoneng.campaigns.permissions import (
    ANY_STAFF,
    REVIEW_ROLES,
    campaign_for_user,
    may_review,
    submission_for_user,
)
from xiaoneng.campaigns.selectors import my_campaigns, my_submissions, review_queue
from xiaoneng.errors import DomainError
from xiaoneng.org.selectors import staff_for
from xiaoneng.web.permissions import role_required


@require_GET
@role_required(*ANY_STAFF)
def my_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "campaigns/my_submissions.html",
        {
            "campaigns": my_campaigns(request.user),
            "submissions": my_submissions(request.user),
        },
    )


@role_required(*ANY_STAFF)
def submission_new(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for_user(request.user, pk)
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        campaign=campaign,
        initial={"requirement": request.GET.get("requirement")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = services.submission_create(
                by=request.user,
                campaign=campaign,
                requirement=data["requirement"],
                title=data["title"],
                text=data["text"],
                file=data["file"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if submission.late:
                messages.warning(
                    request, _("Your submission was received after the deadline: marked late.")
                )
            else:
                messages.success(request, _("Your submission was received."))
            return redirect("campaigns:my_submissions")
    return render(
        request,
        "campaigns/submission_new.html",
        {"campaign": campaign, "form": form, "open": campaign.state == Campaign.State.OPEN},
        status=400 if form.errors else 200,
    )


def _submission_page(
    request: HttpRequest, submission: Submission, *, status: int = 200, **forms: Any
) -> HttpResponse:
    staff = staff_for(request.user)
    reviewer = may_review(request.user, submission.campaign)
    author = staff is not None and submission.participant.staff_id == staff.pk
    S = Submission.State
    context = {
        "submission": submission,
        "may_rework": author
        and submission.state == S.RETURNED
        and submission.campaign.state == Campaign.State.OPEN,
        "may_review": reviewer and submission.state in (S.SUBMITTED, S.RESUBMITTED),
        "may_select": reviewer
        and submission.state == S.ACCEPTED
        and submission.requirement.kind == "reflection",
        "resubmit_form": forms.get("resubmit_form")
        or ResubmitForm(initial={"title": submission.title, "text": submission.text}),
        "review_form": forms.get("review_form") or ReviewForm(),
    }
    return render(request, "campaigns/submission_detail.html", context, status=status)


@require_GET
@role_required(*ANY_STAFF)
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _submission_page(request, submission_for_user(request.user, pk))


@require_POST
@role_required(*ANY_STAFF)
def submission_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = submission_for_user(request.user, pk)
    form = ResubmitForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.submission_resubmit(
                by=request.user, submission=submission, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your reworked submission was received."))
            return redirect("campaigns:submission_detail", pk=submission.pk)
    return _submission_page(request, submission, status=400, resubmit_form=form)


@require_POST
@role_required(*REVIEW_ROLES)
def submission_review(request: HttpRequest, pk: int) -> HttpResponse:
    submission = submission_for_user(request.user, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                services.submission_accept(by=request.user, submission=submission)
                done = _("The submission was accepted.")
            else:
                services.submission_return(
                    by=request.user, submission=submission, reason=form.cleaned_data["reason"]
                )
                done = _("The submission was returned for rework.")
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("campaigns:submission_detail", pk=submission.pk)
    return _submission_page(request, submission, status=400, review_form=form)


@require_POST
@role_required(*REVIEW_ROLES)
def submission_select(request: HttpRequest, pk: int) -> HttpResponse:
    submission = submission_for_user(request.user, pk)
    selected = request.POST.get("selected") == "1"
    try:
        services.submission_select(by=request.user, submission=submission, selected=selected)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Selected for the summary.") if selected else _("Removed from the summary."),
        )
    return redirect("campaigns:submission_detail", pk=submission.pk)


@require_GET
@role_required(*ANY_STAFF)
def submission_file(request: HttpRequest, pk: int) -> HttpResponse:
    submission = submission_for_user(request.user, pk)
    if not submission.file:
        raise Http404
    return FileResponse(
        submission.file.open("rb"),
        as_attachment=True,
        filename=submission.file_name,
        content_type=submission.file_type,
    )


@require_GET
@role_required(*REVIEW_ROLES)
def review_list(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for_user(request.user, pk)
    if not may_review(request.user, campaign):
        raise PermissionDenied
    state = request.GET.get("state", "")
    return render(
        request,
        "campaigns/review_list.html",
        {
            "campaign": campaign,
            "submissions": review_queue(campaign, state=state),
            "state": state,
            "states": Submission.State.choices,
        },
    )
