"""Every change to an incident: keyword-only, one transaction, the incident row locked, an
audit row and a timeline event for each, refusals as translated ``DomainError``s."""

from xiaoneng.emergencies.services.alerts import alert_acknowledge, alert_escalate
from xiaoneng.emergencies.services.case_alerts import (
    case_alert_acknowledge,
    case_alert_escalate,
    urgent_case_alert_start,
)
from xiaoneng.emergencies.services.deadlines import deadline_prewarn, deadline_red
from xiaoneng.emergencies.services.from_case import incident_from_case
from xiaoneng.emergencies.services.incidents import (
    incident_end_response,
    incident_regrade,
    incident_report,
    report_send,
)
from xiaoneng.emergencies.services.outbound import outbound_record

__all__ = [
    "alert_acknowledge",
    "alert_escalate",
    "case_alert_acknowledge",
    "case_alert_escalate",
    "deadline_prewarn",
    "deadline_red",
    "incident_end_response",
    "incident_from_case",
    "incident_regrade",
    "incident_report",
    "outbound_record",
    "report_send",
    "urgent_case_alert_start",
]
