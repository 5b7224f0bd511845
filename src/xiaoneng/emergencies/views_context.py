"""What the incident page shows of its links: the report documents, the source request, the
outside reports with the form to record one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from xiaoneng.emergencies.documents import incident_documents
from xiaoneng.emergencies.forms import OutboundForm
from xiaoneng.emergencies.models import Incident, OutboundReport
from xiaoneng.emergencies.selectors import sees_all_incidents


def links_context(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    now = timezone.localtime().replace(second=0, microsecond=0)
    return {
        # The reports with their documents' links (replaces the page's plain list).
        "reports": incident_documents(incident),
        "source_case": incident.source_case,
        "outbound": list(incident.outbound.select_related("sent_by").order_by("due_at", "id")),
        "may_record_outbound": sees_all_incidents(request.user),
        "outbound_form": OutboundForm(initial={"sent_at": now}),
        "outbound_open": OutboundReport.State.OPEN,
    }
