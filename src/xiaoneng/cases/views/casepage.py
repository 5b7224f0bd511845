"""The case page's content: facts, clocks with colours, timeline, and the forms of the actions
this person may take now. Used for the full page and for the htmx fragment after an action."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from xiaoneng.cases.actions import ACTIONS, available_actions
from xiaoneng.cases.deadlines import Deadline, deadline_from_row, stage_for
from xiaoneng.cases.documents import case_page_documents
from xiaoneng.cases.forms import ActionForm
from xiaoneng.cases.labels import CAPACITY_LABELS, event_label
from xiaoneng.cases.models import Case, CaseAssist, Decision, ExtensionRequest, ReturnRequest
from xiaoneng.cases.permissions import staff_for
from xiaoneng.cases.services.pending import CAUSE_LABELS
from xiaoneng.cases.views.forms import active_departments
from xiaoneng.cases.views.sections import case_sections, lead_suggestions
from xiaoneng.org.models import Department, Unit
from xiaoneng.privacy import mask_email, mask_id_number, mask_name, mask_phone
from xiaoneng.web.person import may_reveal
from xiaoneng.workdays.calendar import get_calendar
from xiaoneng.workdays.models import Clock

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor, User

CASE_STAGES = ("sign_for", "reply", "rating")
STAGE_LABELS = dict(Clock.Stage.choices)


@dataclass
class ActionPanel:
    code: str
    label: str
    form: ActionForm
    open: bool = False


@dataclass
class ClockRow:
    stage: str
    label: str
    clock_id: int
    started_at: Any
    deadline: Deadline


@dataclass
class TimelineRow:
    at: Any
    label: str
    actor: Actor
    note: str
    detail: str = ""
    public: bool = True


@dataclass
class Bound:
    """A submitted action form to show again with its errors."""

    action: str
    form: ActionForm
    errors: list[str] = field(default_factory=list)


def suggest_lead(case: Case, departments: list[Department]) -> int | None:
    """The lead department to suggest: the one read from the request (triage, when it knew and
    the department may be chosen here), else the school's first office when a school is
    concerned, else the department that usually leads on the category."""
    offered = {department.pk for department in departments}
    for department_id in lead_suggestions(case):
        if department_id in offered:
            return department_id
    concerned = case.unit_concerned
    if concerned is not None and concerned.kind != Unit.Kind.BUREAU:
        for department in departments:
            if department.unit_id == concerned.pk:
                return department.pk
    return case.category.default_department_id


def requester_view(case: Case, *, revealed: bool) -> dict[str, str]:
    if case.is_anonymous:
        return {"anonymous": "1"}
    if revealed:
        return {
            "name": case.requester_name,
            "phone": case.requester_phone,
            "email": case.requester_email,
            "id_number": case.requester_id_number,
        }
    return {
        "name": mask_name(case.requester_name),
        "phone": mask_phone(case.requester_phone),
        "email": mask_email(case.requester_email) if case.requester_email else "",
        "id_number": mask_id_number(case.requester_id_number),
    }


def _timeline(events: list[Any]) -> list[TimelineRow]:
    rows = []
    for event in events:
        detail = ""
        if event.action == "sign_for":
            detail = str(CAPACITY_LABELS.get(event.data.get("capacity", ""), ""))
        elif event.action == "attach":
            detail = event.data.get("name", "")
        elif event.action.endswith("_withdrawn"):
            detail = str(CAUSE_LABELS.get(event.data.get("cause", ""), ""))
        elif event.action.startswith("signal_"):
            detail = str(STAGE_LABELS.get(event.data.get("stage", ""), ""))
        rows.append(
            TimelineRow(
                at=event.at,
                label=event_label(event.action),
                actor=event.actor,
                note=event.note,
                detail=detail,
                public=event.public,
            )
        )
    return rows


def _forms(
    case: Case, user: User, actions: list[str], bound: Bound | None
) -> tuple[list[ActionPanel], list[Department]]:
    departments: list[Department] = []
    forms = {action: ACTIONS[action].form for action in actions}
    if any(form is not None and form.uses_departments for form in forms.values()):
        departments = active_departments()
    panels = []
    for action, form in forms.items():
        if form is None:  # an action the office does not offer (cases/actions.py says why)
            continue
        label = str(ACTIONS[action].label)
        if bound is not None and bound.action == action:
            panels.append(ActionPanel(action, label, bound.form, open=True))
            continue
        kwargs: dict[str, Any] = {"case": case, "user": user}
        if form.uses_departments:
            kwargs["departments"] = departments
            if action == "dispatch":
                kwargs["initial"] = {"lead": suggest_lead(case, departments)}
        panels.append(ActionPanel(action, label, form(**kwargs)))
    return panels, departments


def case_context(
    request: Any, case: Case, *, bound: Bound | None = None, revealed: bool = False
) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    events = list(case.events.select_related("actor").order_by("at", "id"))
    assists = []
    if getattr(case, "assist_count", 1):
        prefetch_related_objects(
            [case],
            Prefetch(
                "assists",
                queryset=CaseAssist.objects.select_related(
                    "department", "answered_by__user"
                ).order_by("id"),
            ),
        )
        assists = list(case.assists.all())
    else:
        # No assisting department: say so to whatever reads ``case.assists`` (the available
        # actions), so it asks the database nothing.
        case._prefetched_objects_cache = {
            **getattr(case, "_prefetched_objects_cache", {}),
            "assists": CaseAssist.objects.none(),
        }
    actions = available_actions(case, user)
    panels, _departments = _forms(case, user, actions, bound)
    calendar = get_calendar(case.unit_id)
    clocks = []
    for stage in CASE_STAGES:
        clock_id = getattr(case, f"{stage}_id", None)
        if clock_id is None:
            continue
        clocks.append(
            ClockRow(
                stage=stage,
                label=str(STAGE_LABELS.get(stage, stage)),
                clock_id=clock_id,
                started_at=getattr(case, f"{stage}_started_at", None),
                deadline=deadline_from_row(
                    case, stage, calendar=calendar, now=now, version=case.policy_version
                ),
            )
        )
    current = stage_for(case)
    deadline = next((row.deadline for row in clocks if row.stage == current), None)
    pending_extension = None
    if "decide_extension" in actions:
        pending_extension = (
            ExtensionRequest.objects.filter(case=case, decision=Decision.PENDING)
            .select_related("requested_by__user")
            .first()
        )
    pending_return = None
    if "decide_return" in actions:
        pending_return = (
            ReturnRequest.objects.filter(case=case, decision=Decision.PENDING)
            .select_related("requested_by__user", "department")
            .first()
        )
    return {
        "case": case,
        "staff": staff_for(user),
        "requester": requester_view(case, revealed=revealed),
        "revealed": revealed,
        "may_reveal": may_reveal(user) and not case.is_anonymous,
        "timeline": _timeline(events),
        "attachments": [event.data for event in events if event.action == "attach"],
        "documents": case_page_documents(case=case),
        # What other apps show on the page (emergencies, triage: cases/views/sections.py).
        "sections": case_sections(case=case, user=user, events=events),
        "assists": assists,
        "panels": panels,
        "clocks": clocks,
        "deadline": deadline,
        "pending_extension": pending_extension,
        "pending_return": pending_return,
        # When the action is no longer offered (someone else was quicker), its form is gone:
        # the message must still reach the person.
        "bound_errors": bound.errors if bound and bound.action not in actions else [],
    }
