"""Campaign pages: the list, creating, opening and closing, the detail with completion by
department and the missing people, the Excel export, the summary document, party groups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.campaigns import services
from xiaoneng.campaigns.documents import campaign_summary_document
from xiaoneng.campaigns.forms import CampaignForm, PartyGroupForm
from xiaoneng.campaigns.models import Campaign, PartyGroup
from xiaoneng.campaigns.permissions import (
    ANY_STAFF,
    OFFICE,
    READERS_ALL,
    campaign_for_user,
    may_review,
)
from xiaoneng.campaigns.selectors import campaign_completion, campaigns_for_list, person_completion
from xiaoneng.documents.content import Kind
from xiaoneng.documents.services import FORMATS, document_render
from xiaoneng.errors import DomainError
from xiaoneng.org.scope import has_any_role
from xiaoneng.org.selectors import staff_for
from xiaoneng.security.export_views import export_with_reason
from xiaoneng.web.excel import xlsx_response
from xiaoneng.web.permissions import role_required

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

REPORT_ROLES = ("efficiency_office", "leader", "dept_head")


def may_see_completion(user: User, campaign: Campaign) -> bool:
    return has_any_role(user, READERS_ALL) or may_review(user, campaign)


def _campaign_with_completion(user: User, pk: int) -> Campaign:
    campaign = campaign_for_user(user, pk)
    if not may_see_completion(user, campaign):
        raise Http404
    return campaign


@require_GET
@role_required(*ANY_STAFF)
def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "campaigns": campaigns_for_list(request.user),
            "may_create": has_any_role(request.user, OFFICE),
        },
    )


@role_required(*OFFICE)
def campaign_new(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                by=request.user,
                title=data["title"],
                description=data["description"],
                start=data["start"],
                end=data["end"],
                organiser=data["organiser"],
                units=data["units"],
                party_groups=data["party_groups"],
                remind_days=data["remind_days"],
                requirements=[services.RequirementSpec(**s) for s in form.requirement_specs()],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The campaign was created as a draft."))
            return redirect("campaigns:campaign_detail", pk=campaign.pk)
    return render(
        request, "campaigns/campaign_new.html", {"form": form}, status=400 if form.errors else 200
    )


@require_GET
@role_required(*ANY_STAFF)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for_user(request.user, pk)
    staff = staff_for(request.user)
    show_completion = may_see_completion(request.user, campaign)
    context = {
        "campaign": campaign,
        "requirements": list(campaign.requirements.order_by("kind")),
        "units": list(campaign.units.all()),
        "party_groups": list(campaign.party_groups.all()),
        "completion": campaign_completion(campaign) if show_completion else None,
        "mine": person_completion(campaign, staff) if staff else None,
        "office": has_any_role(request.user, OFFICE),
        "may_review": may_review(request.user, campaign),
        "formats": list(FORMATS),
    }
    return render(request, "campaigns/campaign_detail.html", context)


@require_POST
@role_required(*OFFICE)
def campaign_open(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for_user(request.user, pk)
    try:
        services.campaign_open(campaign=campaign, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The campaign is open; its participants were fixed."))
    return redirect("campaigns:campaign_detail", pk=campaign.pk)


@require_POST
@role_required(*OFFICE)
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for_user(request.user, pk)
    try:
        services.campaign_close(campaign=campaign, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The campaign is closed."))
    return redirect("campaigns:campaign_detail", pk=campaign.pk)


@role_required(*REPORT_ROLES)
def campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign_with_completion(request.user, pk)
    return export_with_reason(
        request,
        kind="campaigns.completion",
        roles=REPORT_ROLES,
        title=_("Export the completion of the campaign to Excel"),
        back="campaigns:campaign_list",
        produce=lambda reason: _completion_file(request, campaign, reason),
    )


def _completion_file(request: HttpRequest, campaign: Campaign, reason: str) -> HttpResponse:
    completion = campaign_completion(campaign)
    header = [_("Unit"), _("Department"), _("Name")]
    for requirement in completion.requirements:
        label = requirement.get_kind_display()
        header += [
            _("%(kind)s required") % {"kind": label},
            _("%(kind)s handed in") % {"kind": label},
            _("%(kind)s accepted") % {"kind": label},
        ]
    header.append(_("Complete"))

    def rows() -> Any:
        for person in completion.people:
            department = person.participant.department
            staff = person.participant.staff
            row: list[Any] = [
                staff.unit.name,
                department.name if department else "",
                staff.name,
            ]
            for owed in person.owed:
                row += [owed.requirement.min_count, owed.handed_in, owed.accepted]
            row.append(_("Yes") if person.complete else _("No"))
            yield row

    return xlsx_response(
        request,
        kind="campaigns.completion",
        reason=reason,
        sheet_title=_("Completion"),
        header=header,
        rows=rows(),
        filename=f"campaign-{campaign.pk}-completion.xlsx",
        filters={"campaign": campaign.pk},
    )


@require_GET
@role_required(*REPORT_ROLES)
def campaign_summary(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    campaign = _campaign_with_completion(request.user, pk)
    if fmt not in FORMATS:
        raise Http404
    rendered = document_render(
        kind=Kind.CAMPAIGN_SUMMARY,
        obj=campaign,
        build=campaign_summary_document,
        fmt=fmt,
        by=request.user,
        unit_id=campaign.organiser.unit_id,
    )
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=rendered.filename
    )
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*OFFICE)
def party_groups(request: HttpRequest) -> HttpResponse:
    form = PartyGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.party_group_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The party group was saved."))
            return redirect("campaigns:party_groups")
    groups = PartyGroup.objects.select_related("unit").prefetch_related("members__user")
    return render(
        request,
        "campaigns/party_groups.html",
        {"form": form, "groups": groups},
        status=400 if form.errors else 200,
    )
