"""What a request's office page shows of emergencies (staff only; the public sees the request
like any other): whether it is urgent, the alerts about it with the acknowledge button for the
person alerted, the incident it was turned into, and the action that turns it into one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xiaoneng.cases.models import Case, CaseEvent
from xiaoneng.emergencies.models import Alert, Incident
from xiaoneng.emergencies.selectors import CAPACITY_LABELS, incidents_for, sees_all_incidents
from xiaoneng.org.selectors import staff_for


def case_emergency_context(*, case: Case, user: Any, events: Sequence[CaseEvent]) -> dict[str, Any]:
    """The panel's content, from the case's ``events`` already read: no query for an ordinary
    request, one more for an urgent one's alerts and one for its incident once opened."""
    alerts: list[Alert] = []
    if case.urgent:
        alerts = list(
            Alert.objects.filter(case=case)
            .select_related("recipient__user")
            .order_by("sent_at", "id")
        )
    for alert in alerts:
        alert.capacity_label = CAPACITY_LABELS.get(alert.capacity, alert.capacity)  # type: ignore[attr-defined]
    staff = staff_for(user)
    incident: Incident | None = None
    if any(event.action == "incident_opened" for event in events):
        incident = incidents_for(user).filter(source_case=case).first()
    return {
        "urgent": case.urgent,
        "alerts": alerts,
        "my_alerts": [
            a
            for a in alerts
            if staff is not None and a.recipient_id == staff.pk and a.state == Alert.State.PENDING
        ],
        "incident": incident,
        "may_open_incident": (
            incident is None
            and case.is_open
            and not any(event.action == "incident_opened" for event in events)
            and sees_all_incidents(user)
        ),
    }
