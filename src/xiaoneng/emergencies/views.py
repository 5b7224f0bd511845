"""The incident pages: the board, the report form (a minute on a phone), the incident with its
timeline and the acknowledge button. Incidents are never on the public portal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.emergencies import services
from xiaoneng.emergencies.forms import IncidentForm, RegradeForm, ReportForm
from xiaoneng.emergencies.models import Incident, ReportKind
from xiaoneng.emergencies.selectors import (
    CAPACITY_LABELS,
    alert_for_user,
    board,
    incident_for_user,
    pending_alerts_for,
    sees_all_incidents,
)
from xiaoneng.emergencies.views_context import links_context
from xiaoneng.errors import DomainError
from xiaoneng.org.selectors import staff_for
from xiaoneng.web.permissions import CASE_ROLES, role_required


@require_GET
@role_required(*CASE_ROLES)
def board_page(request: HttpRequest) -> HttpResponse:
    incidents = board(request.user)
    return render(
        request,
        "emergencies/board.html",
        {
            "incidents": incidents,
            "my_alerts": pending_alerts_for(request.user),
            "sees_all": sees_all_incidents(request.user),
            "now": timezone.now(),
        },
    )


@role_required(*CASE_ROLES)
def incident_new(request: HttpRequest) -> HttpResponse:
    if staff_for(request.user) is None:
        raise PermissionDenied
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = IncidentForm(request.POST or None, initial={"occurred_at": now, "discovered_at": now})
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_report(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Incident reported; the alerts have gone out."))
            return redirect(incident.get_absolute_url())
    return render(request, "emergencies/incident_new.html", {"form": form})


def _incident_context(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    staff = staff_for(request.user)
    alerts = list(incident.alerts.select_related("recipient__user").order_by("sent_at", "id"))
    for alert in alerts:
        alert.capacity_label = CAPACITY_LABELS.get(alert.capacity, alert.capacity)
    reporting = staff is not None and (
        staff.unit_id == incident.unit_id or sees_all_incidents(request.user)
    )
    return {
        "incident": incident,
        "reports": list(incident.reports.select_related("sent_by").order_by("sent_at", "id")),
        "deadlines": list(incident.deadlines.order_by("due_at", "id")),
        "alerts": alerts,
        "timeline": list(incident.timeline.select_related("actor").order_by("at", "id")),
        "mine": [
            a for a in alerts if staff and a.recipient_id == staff.pk and a.state != "acknowledged"
        ],
        "may_report": reporting and incident.is_open,
        "may_end": reporting and incident.state == Incident.State.RESPONDING,
        "may_regrade": sees_all_incidents(request.user) and incident.is_open,
        "final_due": incident.state == Incident.State.RESPONSE_ENDED,
        "regrade_form": RegradeForm(initial={"grade": incident.grade}),
        "now": timezone.now(),
        **links_context(request, incident),
    }


@require_GET
@role_required(*CASE_ROLES)
def incident_page(request: HttpRequest, pk: int) -> HttpResponse:
    incident = incident_for_user(request.user, pk)
    return render(request, "emergencies/incident.html", _incident_context(request, incident))


@role_required(*CASE_ROLES)
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = incident_for_user(request.user, pk)
    final = incident.state == Incident.State.RESPONSE_ENDED
    form = ReportForm(
        request.POST or None,
        initial={"injured": incident.injured, "dead": incident.dead, "missing": incident.missing},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_send(
                incident=incident,
                kind=ReportKind.FINAL if final else ReportKind.PROGRESS,
                by=request.user,
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Report sent."))
            return redirect(incident.get_absolute_url())
    return render(
        request, "emergencies/report_new.html", {"incident": incident, "form": form, "final": final}
    )


@require_POST
@role_required(*CASE_ROLES)
def end_response(request: HttpRequest, pk: int) -> HttpResponse:
    incident = incident_for_user(request.user, pk)
    try:
        services.incident_end_response(incident=incident, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Response ended; the final report is now due."))
    return redirect(incident.get_absolute_url())


@require_POST
@role_required(*CASE_ROLES)
def regrade(request: HttpRequest, pk: int) -> HttpResponse:
    incident = incident_for_user(request.user, pk)
    if not sees_all_incidents(request.user):
        raise PermissionDenied
    form = RegradeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the grade and give the reason."))
        return redirect(incident.get_absolute_url())
    try:
        services.incident_regrade(incident=incident, by=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Grade changed."))
    return redirect(incident.get_absolute_url())


@require_POST
@role_required(*CASE_ROLES)
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alert_for_user(request.user, pk)
    try:
        services.alert_acknowledge(alert=alert, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Acknowledged."))
    # An incident's alert, or an urgent request's (back to the request's page).
    about = alert.incident if alert.incident_id else alert.case
    return redirect(about.get_absolute_url())
