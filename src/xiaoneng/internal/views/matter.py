"""The matter page's context and its actions: each action is a form and one service call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoneng.cases.deadlines import LEVEL_LABELS, deadline_level
from xiaoneng.errors import DomainError
from xiaoneng.internal import forms as f
from xiaoneng.internal import permissions as may
from xiaoneng.internal import services
from xiaoneng.internal.labels import event_label
from xiaoneng.internal.models import Matter
from xiaoneng.internal.selectors import matter_for_user, pending_extensions
from xiaoneng.internal.services.common import matter_clocks
from xiaoneng.internal.services.limits import OPEN_STATES, matter_source
from xiaoneng.supervision.models import Order
from xiaoneng.web.permissions import role_required
from xiaoneng.workdays.models import Clock

S = Matter.State
User = Any


@dataclass(frozen=True)
class Action:
    label: Any
    form: type[forms.Form] | None
    allowed: Callable[[User, Matter], bool]
    run: Callable[[User, Matter, dict[str, Any]], object]
    primary: bool = False


def _pending_extension(matter: Matter) -> Any:
    request = pending_extensions(matter).first()
    if request is None:
        raise DomainError(gettext_lazy("No extension request is waiting."))
    return request


ACTIONS: dict[str, Action] = {
    "route": Action(
        gettext_lazy("Route"),
        f.RouteForm,
        lambda u, m: m.state == S.REGISTERED and may.may_route(u),
        lambda u, m, d: services.matter_route(
            by=u, matter=m, lead_department=d["lead_department"], assisting=d["assisting"]
        ),
        primary=True,
    ),
    "sign": Action(
        gettext_lazy("Sign for it"),
        None,
        lambda u, m: m.state in (S.ROUTED, S.REROUTE_REQUESTED) and may.in_lead(u, m),
        lambda u, m, d: services.matter_sign(by=u, matter=m),
        primary=True,
    ),
    "reroute": Action(
        gettext_lazy("Ask 办公室 to re-route"),
        f.RerouteRequestForm,
        lambda u, m: m.state == S.ROUTED and may.in_lead(u, m),
        lambda u, m, d: services.matter_reroute_request(
            by=u, matter=m, reason=d["reason"], suggested=d["suggested"]
        ),
    ),
    "reroute_decide": Action(
        gettext_lazy("Decide the re-route request"),
        f.RerouteDecideForm,
        lambda u, m: m.state == S.REROUTE_REQUESTED and may.may_arbitrate(u),
        lambda u, m, d: services.matter_reroute_decide(
            by=u, matter=m, approve=d["approve"], note=d["note"], new_lead=d["new_lead"]
        ),
        primary=True,
    ),
    "complete": Action(
        gettext_lazy("Report it done"),
        f.TextForm,
        lambda u, m: (
            m.kind != Matter.Kind.REQUEST and m.state == S.IN_PROGRESS and may.in_lead(u, m)
        ),
        lambda u, m, d: services.matter_complete(by=u, matter=m, result=d["text"]),
        primary=True,
    ),
    "draft": Action(
        gettext_lazy("Draft the reply"),
        f.TextForm,
        lambda u, m: (
            m.kind == Matter.Kind.REQUEST and m.state == S.IN_PROGRESS and may.in_lead(u, m)
        ),
        lambda u, m, d: services.matter_draft(by=u, matter=m, reply=d["text"]),
        primary=True,
    ),
    "signoff": Action(
        gettext_lazy("Sign off the reply"),
        f.SignOffForm,
        lambda u, m: (
            (m.state == S.HEAD_REVIEW and may.is_lead_head(u, m))
            or (m.state == S.LEADER_REVIEW and may.is_leader_for(u, m))
        ),
        lambda u, m, d: services.matter_signoff(
            by=u, matter=m, approve=d["approve"], note=d["note"], to_leader=d["to_leader"]
        ),
        primary=True,
    ),
    "confirm": Action(
        gettext_lazy("Confirm receipt"),
        None,
        lambda u, m: m.state == S.REPLIED and may.is_asker(u, m),
        lambda u, m, d: services.matter_confirm(by=u, matter=m),
        primary=True,
    ),
    "extension": Action(
        gettext_lazy("Ask for an extension"),
        f.ExtensionForm,
        lambda u, m: m.state in OPEN_STATES and may.in_lead(u, m),
        lambda u, m, d: services.matter_extension_request(
            by=u, matter=m, units=d["units"], reason=d["reason"]
        ),
    ),
    "extension_decide": Action(
        gettext_lazy("Decide the extension"),
        f.DecideForm,
        lambda u, m: may.may_decide_extension(u) and pending_extensions(m).exists(),
        lambda u, m, d: services.matter_extension_decide(
            by=u, request=_pending_extension(m), approve=d["approve"], note=d["note"]
        ),
    ),
    "supervise": Action(
        gettext_lazy("Put under supervision"),
        f.SuperviseForm,
        lambda u, m: (
            may.may_supervise(u) and m.state != S.DONE and m.lead_department_id is not None
        ),
        lambda u, m, d: services.matter_supervise(
            by=u, matter=m, requirement=d["requirement"], due_working_days=d["due_working_days"]
        ),
    ),
}


def _clock_rows(matter: Matter) -> list[dict[str, Any]]:
    now = timezone.now()
    rows = []
    for clock in matter_clocks(matter):
        level = deadline_level(clock, now)
        rows.append(
            {
                "clock": clock,
                "level": level,
                "label": LEVEL_LABELS.get(level, ""),
                "late": clock.stopped_at is not None and clock.stopped_at > clock.due_at,
            }
        )
    return rows


def _events(matter: Matter) -> list[Any]:
    events = list(matter.events.select_related("staff__user", "department"))
    stages = dict(Clock.Stage.choices)
    for one in events:
        one.label = event_label(one.action)  # type: ignore[attr-defined]
        if one.action.startswith("card_") and one.note in stages:
            # The sweep notes the clock's stage as its code: read it as the stage's name.
            one.note = str(stages[one.note])
    return events


def matter_context(request: HttpRequest, matter: Matter) -> dict[str, Any]:
    user = request.user
    actions = [
        (code, action, action.form() if action.form else None)
        for code, action in ACTIONS.items()
        if action.allowed(user, matter)
    ]
    return {
        "matter": matter,
        "assists": matter.assists.select_related("department"),
        "events": _events(matter),
        "clocks": _clock_rows(matter),
        "signals": matter.signals.select_related("clock"),
        "reroutes": matter.reroutes.select_related(
            "department", "requested_by__user", "decided_by__user", "suggested_department"
        ),
        "drafts": matter.drafts.select_related("drafted_by__user").prefetch_related(
            "signoffs__staff__user"
        ),
        "extensions": matter.extensions.select_related("requested_by__user", "decided_by__user"),
        "orders": Order.objects.filter(source=matter_source(matter)),
        "actions": actions,
    }


@require_POST
@role_required(*may.INTERNAL_ROLES)
def matter_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    matter = matter_for_user(request.user, pk)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    data: dict[str, Any] = {}
    if spec.form is not None:
        form = spec.form(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("internal:detail", pk=matter.pk)
        data = form.cleaned_data
    try:
        spec.run(request.user, matter, data)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Done."))
    return redirect("internal:detail", pk=matter.pk)
