"""Every change to an incident: keyword-only, one transaction, the incident row locked, an
audit row and a timeline event for each, refusals as translated ``DomainError``s."""

from xiaoneng.emergencies.services.alerts import alert_acknowledge, alert_escalate
from xiaoneng.emergencies.services.deadlines import deadline_prewarn, deadline_red
from xiaoneng.emergencies.services.incidents import (
    incident_end_response,
    incident_regrade,
    incident_report,
    report_send,
)

__all__ = [
    "alert_acknowledge",
    "alert_escalate",
    "deadline_prewarn",
    "deadline_red",
    "incident_end_response",
    "incident_regrade",
    "incident_report",
    "report_send",
]
