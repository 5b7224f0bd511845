"""cases.services.events.case_event_record: the timeline event and its audit row."""

from __future__ import annotations

import pytest

from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.models import CaseEvent
from xiaoneng.cases.services.events import case_event_record

pytestmark = pytest.mark.django_db


def test_event_and_audit_row_for_a_change(hotline_case, users) -> None:
    case = hotline_case
    event = case_event_record(
        case,
        action="denial_filing_reviewed",
        user=users["xiaoneng"],
        from_state=case.state,
        note="维持",
        data={"filing": 7},
        public=False,
    )
    stored = CaseEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.actor, stored.note, stored.public) == (
        "denial_filing_reviewed",
        users["xiaoneng"],
        "维持",
        False,
    )
    assert stored.to_state == case.state
    audit = AuditEntry.objects.filter(action="case.denial_filing_reviewed").get()
    assert audit.summary == {
        "number": case.number,
        "from": case.state,
        "to": case.state,
        "filing": 7,
    }
