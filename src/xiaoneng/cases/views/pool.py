"""待受理: the intake pools. A unit's first-contact post works its pool; the efficiency office,
leaders and inspectors see every pool (the office may step in)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from xiaoneng.cases.deadlines import attach_deadlines, with_case_clocks
from xiaoneng.cases.permissions import has_global_scope
from xiaoneng.cases.pool import pool_duties, pool_visible_to
from xiaoneng.cases.views.sections import pool_extras
from xiaoneng.org.models import Unit
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import staff_for, user_roles
from xiaoneng.web.permissions import CASE_ROLES, role_required

LIMIT = 200


@role_required(*CASE_ROLES)
def intake_pool(request: HttpRequest) -> HttpResponse:
    """The pooled cases this person sees, oldest first, with the acceptance clock's colour."""
    now = timezone.now()
    duties = pool_duties(staff_for(request.user), at=now)
    worked = {duty.unit.pk for duty in duties}
    office = Role.EFFICIENCY_OFFICE in user_roles(request.user)
    cases = pool_visible_to(request.user)
    units: list[Unit] = []
    unit_id = request.GET.get("unit", "")
    if has_global_scope(request.user):
        units = list(Unit.objects.filter(is_active=True).order_by("sort_order", "id"))
        if unit_id.isdigit():
            cases = cases.filter(unit_id=int(unit_id))
    total = cases.count()
    rows = with_case_clocks(cases, ("intake",)).select_related("unit", "category", "policy_version")
    rows = attach_deadlines(
        list(rows.order_by("registered_at", "id")[:LIMIT]), now=now, stage="intake"
    )
    for case in rows:
        case.may_act = office or case.unit_id in worked
        due = case.deadline.due_at
        case.remaining = due - now if due is not None and due > now else None
    context = {
        "pool_extras": pool_extras(),
        "cases": rows,
        "total": total,
        "duties": duties,
        "units": units,
        "unit": unit_id,
        "office": office,
    }
    return render(request, "cases/pool.html", context)
