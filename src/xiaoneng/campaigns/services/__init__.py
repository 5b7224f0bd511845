"""Campaign services: campaigns and party groups, submissions, study sessions."""

from xiaoneng.campaigns.services.campaigns import (
    RequirementSpec,
    campaign_close,
    campaign_create,
    campaign_open,
    party_group_create,
)
from xiaoneng.campaigns.services.study import attendance_record, study_session_create
from xiaoneng.campaigns.services.submissions import (
    submission_accept,
    submission_create,
    submission_resubmit,
    submission_return,
    submission_select,
    text_length,
)

__all__ = [
    "RequirementSpec",
    "attendance_record",
    "campaign_close",
    "campaign_create",
    "campaign_open",
    "party_group_create",
    "study_session_create",
    "submission_accept",
    "submission_create",
    "submission_resubmit",
    "submission_return",
    "submission_select",
    "text_length",
]
