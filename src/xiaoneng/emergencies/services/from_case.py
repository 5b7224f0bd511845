"""Turning a public request into an incident in one action, keeping the link both ways: the
incident names its source request; the request's staff timeline names the incident (the
public sees the request like any other and never the incident)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Case
from xiaoneng.cases.services.events import case_event_record
from xiaoneng.emergencies.models import Alert, Incident, TimelineEvent
from xiaoneng.emergencies.selectors import sees_all_incidents
from xiaoneng.emergencies.services._common import _event, _now
from xiaoneng.emergencies.services.incidents import incident_report
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.models import Unit


def incident_unit_for(case: Case) -> Unit:
    """The unit the incident is of: the school the request concerns, else the case's unit."""
    return case.unit_concerned or case.unit


def incident_from_case(
    *,
    case: Case,
    by: Any,
    type: str,
    grade: str,
    place: str,
    contact_phone: str,
    occurred_at: datetime | None = None,
    discovered_at: datetime | None = None,
    title: str = "",
    what_happened: str = "",
    injured: int = 0,
    dead: int = 0,
    missing: int = 0,
    measures: str = "",
    unit: Unit | None = None,
    at: datetime | None = None,
) -> Incident:
    """An incident reported from ``case`` (its initial report, alerts and clocks as for any
    incident; discovered when the request was registered, unless said otherwise). The
    request's own alerts are withdrawn: the incident's take over. Only the bureau's safety
    department and leaders may do it, once per request."""
    at = _now(at)
    if not sees_all_incidents(by):
        raise PermissionDenied(
            _("Only the safety department and the bureau's leaders may open an incident.")
        )
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
        if Incident.objects.filter(source_case=case).exists():
            raise DomainError(_("This request has already been turned into an incident."))
        if not case.is_open:
            raise DomainError(_("Only an open request can be turned into an incident."))
        discovered = discovered_at or min(case.registered_at, at)
        incident = incident_report(
            by=by,
            unit=unit or incident_unit_for(case),
            type=type,
            grade=grade,
            title=(title or case.title).strip(),
            occurred_at=occurred_at or discovered,
            discovered_at=discovered,
            place=place,
            what_happened=(what_happened or case.content).strip(),
            contact_phone=contact_phone,
            injured=injured,
            dead=dead,
            missing=missing,
            measures=measures,
            at=at,
        )
        incident.source_case = case
        incident.save(update_fields=["source_case"])
        _event(
            incident,
            kind=TimelineEvent.Kind.FROM_CASE,
            at=at,
            actor=by,
            text=case.number,
            data={"case": case.pk, "number": case.number},
        )
        Alert.objects.filter(case=case, state=Alert.State.PENDING).update(
            state=Alert.State.WITHDRAWN, next_check_at=None, passed_on_at=at
        )
        case_event_record(
            case,
            action="incident_opened",
            user=by,
            data={"incident": incident.pk, "grade": grade, "type": type},
            public=False,
            at=at,
        )
    return incident
