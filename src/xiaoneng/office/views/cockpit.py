"""The leader's cockpit (驾驶舱): the month's figures with their trend and what needs a leader's
eye now. Leaders only; everyone else gets 403."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.assessment.selectors import parse_month
from xiaoneng.office.cockpit import cockpit_for
from xiaoneng.org.roles import Role
from xiaoneng.web.permissions import role_required


@role_required(Role.LEADER)
def cockpit(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    month = None
    asked = request.GET.get("month", "").strip()
    if asked:
        try:
            month = parse_month(asked)
        except ValueError:
            messages.error(
                request, _("Give the month as year-month, for example 2026-03; showing this month.")
            )
    data = cockpit_for(request.user, today=today, month=month)  # type: ignore[arg-type]
    return render(request, "office/cockpit.html", {"cockpit": data, "today": today})
