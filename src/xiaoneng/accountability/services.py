"""Public services of accountability; the work is split into modules, re-exported here."""

from __future__ import annotations

from xiaoneng.accountability.appeals import appeal_decide, appeal_file, signal_revoke
from xiaoneng.accountability.conduct import (
    conduct_accept,
    conduct_convert_case,
    conduct_extend,
    conduct_find,
    conduct_intake,
)
from xiaoneng.accountability.sanctions import sanction_decide, sanction_revoke, sanction_suggest
from xiaoneng.accountability.violations import (
    AutomaticViolation,
    violation_attach_evidence,
    violation_record_automatic,
    violation_record_automatic_bulk,
    violation_record_manual,
    violation_record_unfiled_denial,
    violation_review,
)

__all__ = [
    "AutomaticViolation",
    "appeal_decide",
    "appeal_file",
    "conduct_accept",
    "conduct_convert_case",
    "conduct_extend",
    "conduct_find",
    "conduct_intake",
    "sanction_decide",
    "sanction_revoke",
    "sanction_suggest",
    "signal_revoke",
    "violation_attach_evidence",
    "violation_record_automatic",
    "violation_record_automatic_bulk",
    "violation_record_manual",
    "violation_record_unfiled_denial",
    "violation_review",
]
