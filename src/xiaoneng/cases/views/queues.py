"""The department queue (heads) and the efficiency-office console (效能办)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from xiaoneng.cases.deadlines import attach_deadlines, with_case_clocks
from xiaoneng.cases.models import Case, Signal
from xiaoneng.cases.selectors import extensions_awaiting_decision
from xiaoneng.cases.services import case_close, case_decide_extension
from xiaoneng.cases.states import State
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Department, Staff
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import staff_for
from xiaoneng.web.permissions import role_required

LIMIT = 100


def _cases(queryset: QuerySet[Case], stage: str | None = None) -> list[Case]:
    rows = with_case_clocks(queryset, ("sign_for", "reply", "rating")).select_related(
        "category", "unit", "lead_department", "handler__user", "policy_version"
    )
    return attach_deadlines(list(rows.order_by("registered_at", "id")[:LIMIT]), stage=stage)


@role_required(Role.DEPT_HEAD)
def department_queue(request: HttpRequest) -> HttpResponse:
    """Incoming cases to sign for, handlers to assign, replies to review — for the head."""
    staff = staff_for(request.user)
    departments = list(Department.objects.filter(head=staff).order_by("id"))
    ids = [department.pk for department in departments]
    people = list(Staff.objects.filter(department_id__in=ids).select_related("user").order_by("id"))
    mine = Case.objects.filter(lead_department_id__in=ids)
    context = {
        "departments": departments,
        "incoming": _cases(mine.filter(state=State.DISPATCHED), "sign_for"),
        "in_hand": _cases(
            mine.filter(state__in=[State.IN_PROGRESS, State.SUSPENDED], reply_pending_review=False)
        ),
        "review": _cases(mine.filter(state=State.IN_PROGRESS, reply_pending_review=True)),
        "people": people,
    }
    return render(request, "cases/queue.html", context)


@role_required(Role.EFFICIENCY_OFFICE, Role.LEADER)
def console(request: HttpRequest) -> HttpResponse:
    """Returns, extensions, signals across units, callbacks and reopen reviews."""
    level = request.GET.get("level", "")
    signals = Signal.objects.filter(revoked=False, case__isnull=False).exclude(
        clock__state="stopped"
    )
    if level in Signal.Level.values:
        signals = signals.filter(level=level)
    context = {
        "returns": _cases(Case.objects.filter(state=State.RETURN_REQUESTED)),
        "extensions": list(
            extensions_awaiting_decision()
            .select_related("case__unit", "case__lead_department", "requested_by__user")
            .order_by("requested_at")[:LIMIT]
        ),
        "signals": list(
            signals.select_related("case__unit", "case__lead_department", "clock").order_by(
                "-raised_at"
            )[:LIMIT]
        ),
        "levels": Signal.Level.choices,
        "level": level,
        "callbacks": _cases(Case.objects.filter(state=State.REPLIED), "rating"),
        "reopen": _cases(Case.objects.filter(state=State.REOPEN_REVIEW)),
        "is_office": Role.EFFICIENCY_OFFICE in getattr(request.user, "_xiaoneng_roles", set()),
    }
    return render(request, "cases/console.html", context)


def _bulk(request: HttpRequest, ids: list[int], run: Any) -> tuple[int, list[str]]:
    done, errors = 0, []
    for case in Case.objects.filter(pk__in=ids).order_by("id"):
        try:
            run(case)
        except DomainError as exc:
            errors.append(f"{case.number}: {exc}")
        else:
            done += 1
    return done, errors


@require_POST
@role_required(Role.EFFICIENCY_OFFICE, Role.LEADER)
def console_bulk(request: HttpRequest) -> HttpResponse:
    """One service call per chosen case; what fails is reported case by case."""
    ids = [int(value) for value in request.POST.getlist("case") if value.isdigit()]
    action = request.POST.get("action", "")
    note = request.POST.get("note", "").strip()
    user = request.user
    if action in {"approve_extensions", "reject_extensions"}:
        approve = action == "approve_extensions"

        def run(case: Case) -> None:
            case_decide_extension(case=case, by=user, approve=approve, note=note)

    elif action == "close_unrated":

        def run(case: Case) -> None:
            case_close(case=case, by=user, note=note)

    else:
        messages.error(request, _("Choose an action."))
        return HttpResponseRedirect(reverse("office:console"))
    if not ids:
        messages.error(request, _("Choose at least one case."))
        return HttpResponseRedirect(reverse("office:console"))
    done, errors = _bulk(request, ids, run)
    if done:
        messages.success(
            request,
            ngettext("%(count)d case done.", "%(count)d cases done.", done) % {"count": done},
        )
    for error in errors:
        messages.error(request, error)
    return HttpResponseRedirect(reverse("office:console"))
