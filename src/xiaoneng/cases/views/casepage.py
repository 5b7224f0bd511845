"""The case page's content: facts, clocks with colours, timeline, and the forms of the actions
this person may take now. Used for the full page and for the htmx fragment after an action."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from xiaoneng.cases.actions import (
    ACTIONS,
    Consequence,
    Who,
    action_consequences,
    actions_for,
    draft_of,
    who,
)
from xiaoneng.cases.deadlines import Deadline, deadline_from_row, stage_for
from xiaoneng.cases.documents import case_page_documents
from xiaoneng.cases.forms import ActionForm
from xiaoneng.cases.labels import CAPACITY_LABELS, event_label
from xiaoneng.cases.models import Case, CaseAssist, Decision, ExtensionRequest, ReturnRequest
from xiaoneng.cases.selectors import public_reply, published_reply, reply_templates_for
from xiaoneng.cases.services.pending import CAUSE_LABELS
from xiaoneng.cases.views.forms import active_departments
from xiaoneng.cases.views.sections import case_sections, lead_suggestions
from xiaoneng.org.models import Department, Unit
from xiaoneng.org.selectors import staff_for
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
    # Submit buttons: (action code, label); the panel's own first, then the actions that are
    # part of it (cases/actions.py ``part_of``: the draft beside the reply).
    buttons: list[tuple[str, str]] = field(default_factory=list)
    # What the action sets off beyond the case, said beside its button (cases/actions.py).
    consequences: list[Consequence] = field(default_factory=list)
    template: str = ""  # a form of its own (the reply composer), else the generic fields
    extra: dict[str, Any] = field(default_factory=dict)  # what that template reads


@dataclass(frozen=True)
class ReplyPreview:
    """The reply as the public will read it, built by the public pages' own builder."""

    tracking: str  # the requester's tracking page
    published: str | None  # the results board (None: the case will not be published)
    files: list[str]


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
    """A submitted action form to show again with its errors (or with its preview)."""

    action: str
    form: ActionForm
    errors: list[str] = field(default_factory=list)
    preview: Any = None  # a ReplyPreview, or the extension's preview lines


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


def reply_preview(case: Case, text: str, files: list[str]) -> ReplyPreview:
    """What the public will read of ``text``: on the tracking page, and on the results board
    when the requester consented to publication (an anonymous report never is)."""
    published = case.consent_publish and not case.is_anonymous
    return ReplyPreview(
        tracking=public_reply(case, text),
        published=published_reply(case, text) if published else None,
        files=files,
    )


def _composer(case: Case, reply_files: list[str]) -> dict[str, Any]:
    """What the reply composer shows beside its form: the unit's templates for the category,
    the snippets, the saved draft."""
    return {
        "templates": reply_templates_for(case),
        "draft": draft_of(case),
        "reply_files": reply_files,
    }


def _forms(
    case: Case,
    user: User,
    actions: list[str],
    bound: Bound | None,
    w: Who | None,
    reply_files: list[str],
) -> tuple[list[ActionPanel], list[Department]]:
    departments: list[Department] = []
    forms = {action: ACTIONS[action].form for action in actions}
    if any(form is not None and form.uses_departments for form in forms.values()):
        departments = active_departments()
    panels = []
    for action, form in forms.items():
        if form is None:  # an action the office does not offer (cases/actions.py says why)
            continue
        host = ACTIONS[action].part_of
        if host in forms:
            continue  # a second button of its host's panel
        label = str(ACTIONS[action].label)
        buttons = [(action, label)]
        buttons += [
            (code, str(ACTIONS[code].label)) for code in actions if ACTIONS[code].part_of == action
        ]
        codes = {code for code, _label in buttons}
        if bound is not None and bound.action in codes:
            built, opened = bound.form, True
        else:
            kwargs: dict[str, Any] = {"case": case, "user": user}
            if form.uses_departments:
                kwargs["departments"] = departments
                if action == "dispatch":
                    kwargs["initial"] = {"lead": suggest_lead(case, departments)}
            built, opened = form(**kwargs), False
        template = getattr(form, "template", "")
        panels.append(
            ActionPanel(
                action,
                label,
                built,
                open=opened,
                buttons=buttons,
                consequences=action_consequences(action, case, w),
                template=template,
                extra=_composer(case, reply_files) if template else {},
            )
        )
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
    w = who(case, user)
    actions = actions_for(case, w)
    attached = [event.data for event in events if event.action == "attach"]
    reply_files = [str(item.get("name", "")) for item in attached if item.get("reply")]
    panels, _departments = _forms(case, user, actions, bound, w, reply_files)
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
    draft = draft_of(case)
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
        "attachments": [item for item in attached if not item.get("reply")],
        "reply_attachments": [item for item in attached if item.get("reply")],
        "draft": draft,
        "draft_preview": reply_preview(case, draft.text, reply_files) if draft else None,
        "bound_preview": bound.preview if bound else None,
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
