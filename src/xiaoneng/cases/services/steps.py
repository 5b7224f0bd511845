"""The steps every case transition takes: lock, state check, who may act, timeline event.

Public, so that a feature app acting on a case (the applications app) takes the same steps
as the case services; the timeline event is ``cases.services.events.case_event_record``
(``record`` here).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Case, CaseEvent
from xiaoneng.cases.services.events import case_event_record
from xiaoneng.cases.states import ACTION_LABELS, ALLOWED_FROM, State
from xiaoneng.errors import DomainError, PermissionDenied, lazy_format
from xiaoneng.org.models import Staff
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import require_staff, user_roles

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor, User

# The short name the case services write the timeline with.
record = case_event_record


def now() -> datetime:
    return timezone.now()


def lock(case: Case) -> Case:
    """Re-read the case under a row lock: the state we check is the state we change."""
    return Case.objects.select_for_update().get(pk=case.pk)


def state_label(state: str) -> object:
    try:
        return State(state).label
    except ValueError:
        return state


def require_state(case: Case, action: str) -> None:
    if case.state in ALLOWED_FROM[action]:
        return
    if action == "sign_for" and case.state in {State.IN_PROGRESS, State.SUSPENDED}:
        raise DomainError(
            _("This case has already been signed for; it cannot be signed again."),
            code="illegal_transition",
        )
    raise DomainError(
        lazy_format(
            _("This case is %(state)s; you cannot %(action)s it now."),
            {"state": state_label(case.state), "action": ACTION_LABELS[action]},
        ),
        code="illegal_transition",
    )


def require_role(user: User, *roles: Role) -> None:
    if not user_roles(user) & set(roles):
        raise PermissionDenied(_("Your role does not allow this action."))


def is_efficiency_office(user: User) -> bool:
    return Role.EFFICIENCY_OFFICE in user_roles(user)


def is_head_of(staff: Staff, department_id: int | None) -> bool:
    return department_id is not None and staff.headed_departments.filter(pk=department_id).exists()


def in_department(staff: Staff, department_id: int | None) -> bool:
    return department_id is not None and staff.department_id == department_id


def require_lead_department(user: User, case: Case) -> Staff:
    """The actor works in (or heads) the lead department. Supervisors decide, they do not
    handle: the efficiency office cannot reply or suspend on a department's behalf."""
    staff = require_staff(user)
    if in_department(staff, case.lead_department_id) or is_head_of(staff, case.lead_department_id):
        return staff
    raise PermissionDenied(_("Only the lead department may do this."))


def last_event(case: Case) -> CaseEvent | None:
    return case.events.order_by("-at", "-id").first()


def is_repeat(case: Case, action: str, user: Actor, data: dict[str, Any] | None = None) -> bool:
    """True when the latest event is this same action by the same person with the same data:
    a repeated identical request (double click, client retry) is then answered, not redone."""
    event = last_event(case)
    if event is None or event.action != action:
        return False
    actor_id = getattr(user, "pk", None)
    if event.actor_id != actor_id:
        return False
    return all(event.data.get(key) == value for key, value in (data or {}).items())


def require_text(value: str, message: Any) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message)
    return value
