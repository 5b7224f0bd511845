"""Applications (申请) under a service guide: the material check and one-time notice, the
supplement, the acceptance decision and the final decision, and denial filings for refusals
(``intake`` up to the decisions, ``decisions`` from there)."""

from xiaoneng.applications.services._common import ACCEPTANCE
from xiaoneng.applications.services.decisions import (
    application_decide,
    application_decide_acceptance,
    application_extend,
    application_file_overdue,
)
from xiaoneng.applications.services.intake import (
    application_check_materials,
    application_register,
    application_second_notice,
    application_supplement,
)

__all__ = [
    "ACCEPTANCE",
    "application_check_materials",
    "application_decide",
    "application_decide_acceptance",
    "application_extend",
    "application_file_overdue",
    "application_register",
    "application_second_notice",
    "application_supplement",
]
