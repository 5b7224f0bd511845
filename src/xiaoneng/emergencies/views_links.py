"""The pages that link incidents with the rest: an outside report recorded on the incident, a
public request turned into an incident (from the request's office page). Incidents are never
on the public portal; a request's incident is shown to staff only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.cases.permissions import case_for_user
from xiaoneng.emergencies import services
from xiaoneng.emergencies.forms import FromCaseForm, OutboundForm
from xiaoneng.emergencies.models import Incident, OutboundReport
from xiaoneng.emergencies.selectors import incident_for_user, sees_all_incidents
from xiaoneng.errors import DomainError
from xiaoneng.web.permissions import CASE_ROLES, case_view, role_required


@require_POST
@role_required(*CASE_ROLES)
def outbound_record(request: HttpRequest, pk: int) -> HttpResponse:
    row = OutboundReport.objects.filter(pk=pk).first()
    incident = incident_for_user(request.user, row.incident_id if row else 0)
    if row is None or not sees_all_incidents(request.user):
        raise PermissionDenied
    form = OutboundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say when and how the report was made and who received it."))
        return redirect(incident.get_absolute_url())
    try:
        services.outbound_record(row=row, by=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The outside report is recorded."))
    return redirect(incident.get_absolute_url())


@case_view
def incident_from_case(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = case_for_user(request.user, case_pk)
    if not sees_all_incidents(request.user):
        raise PermissionDenied
    existing = Incident.objects.filter(source_case=case).first()
    if existing is not None:
        return redirect(existing.get_absolute_url())
    form = FromCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_from_case(case=case, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The request is now an incident; the alerts have gone out.")
            )
            return redirect(incident.get_absolute_url())
    return render(
        request,
        "emergencies/from_case.html",
        {"case": case, "form": form, "now": timezone.now()},
    )
