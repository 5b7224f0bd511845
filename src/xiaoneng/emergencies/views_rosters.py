"""The duty roster pages: a unit's roster for the coming weeks, the fill form, swaps."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.emergencies.forms_safety import RosterFillForm, RosterUnitForm, SwapForm
from xiaoneng.emergencies.selectors_rosters import (
    duty_candidates,
    manages_roster,
    roster_days,
    sees_all_safety,
    shift_for_user,
    swap_for_user,
    swaps_of,
    swaps_to_decide,
    unit_for_user,
    visible_units,
)
from xiaoneng.emergencies.services.rosters import roster_fill, swap_decide, swap_request
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Unit
from xiaoneng.org.selectors import staff_for
from xiaoneng.web.permissions import CASE_ROLES, role_required

ROSTER_DAYS = 42


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _roster_url(unit: Unit) -> str:
    return f"{reverse('emergencies:roster')}?unit={unit.pk}"


@role_required(*CASE_ROLES)
def roster_page(request: HttpRequest) -> HttpResponse:
    unit = unit_for_user(request.user, _int(request.GET.get("unit")))
    start = _day(request.GET.get("from")) or timezone.localdate()
    staff = staff_for(request.user)
    return render(
        request,
        "emergencies/roster.html",
        {
            "unit": unit,
            "unit_form": (
                RosterUnitForm(initial={"unit": unit.pk}, units=visible_units(request.user))
                if sees_all_safety(request.user)
                else None
            ),
            "days": roster_days(unit=unit, start=start, days=ROSTER_DAYS),
            "start": start,
            "earlier": start - timedelta(days=ROSTER_DAYS),
            "later": start + timedelta(days=ROSTER_DAYS),
            "today": timezone.localdate(),
            "me": staff.pk if staff else None,
            "manages": manages_roster(request.user, unit),
            "to_decide": swaps_to_decide(request.user, unit),
            "swaps": swaps_of(unit),
        },
    )


@role_required(*CASE_ROLES)
def roster_fill_page(request: HttpRequest) -> HttpResponse:
    unit = unit_for_user(request.user, _int(request.GET.get("unit")))
    if not manages_roster(request.user, unit):
        raise PermissionDenied
    form = RosterFillForm(request.POST or None, people=duty_candidates(unit))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            written = roster_fill(
                by=request.user,
                unit=unit,
                start=data["start"],
                end=data["end"],
                days=data["days"],
                day_people=list(data["day_people"]),
                night_people=list(data["night_people"]),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(n)d shifts entered.") % {"n": written})
            return redirect(f"{_roster_url(unit)}&from={data['start'].isoformat()}")
    return render(request, "emergencies/roster_fill.html", {"unit": unit, "form": form})


@role_required(*CASE_ROLES)
def swap_new(request: HttpRequest, pk: int) -> HttpResponse:
    shift = shift_for_user(request.user, pk)
    people = duty_candidates(shift.unit).exclude(pk=shift.staff_id)
    form = SwapForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            swap_request(by=request.user, shift=shift, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Swap requested; the head decides."))
            return redirect(_roster_url(shift.unit))
    return render(request, "emergencies/swap_new.html", {"shift": shift, "form": form})


@require_POST
@role_required(*CASE_ROLES)
def swap_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    swap = swap_for_user(request.user, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        swap_decide(by=request.user, swap=swap, approve=approve, note=request.POST.get("note", ""))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Swap approved.") if approve else _("Swap rejected."))
    return redirect(_roster_url(swap.shift.unit))
