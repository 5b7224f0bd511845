"""Supervision services: orders and reminders, callbacks, inspections."""

from xiaoneng.supervision.services.callbacks import (
    callback_policy_set,
    callback_record,
    in_sample,
    sample_bucket,
)
from xiaoneng.supervision.services.inspections import (
    evidence_add,
    finding_add,
    finding_make_violation,
    inspection_create,
)
from xiaoneng.supervision.services.orders import (
    supervision_feedback_submit,
    supervision_order_accept,
    supervision_order_create,
    supervision_order_remind,
    supervision_order_return,
)

__all__ = [
    "callback_policy_set",
    "callback_record",
    "evidence_add",
    "finding_add",
    "finding_make_violation",
    "in_sample",
    "inspection_create",
    "sample_bucket",
    "supervision_feedback_submit",
    "supervision_order_accept",
    "supervision_order_create",
    "supervision_order_remind",
    "supervision_order_return",
]
