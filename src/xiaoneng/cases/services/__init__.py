"""Every case transition of DESIGN.md §4, each one transaction with its event and audit row."""

from xiaoneng.cases.services.attachments import attachment_add
from xiaoneng.cases.services.closing import (
    case_close,
    case_rate,
    case_reopen,
    case_reply,
    case_review_reply,
)
from xiaoneng.cases.services.handling import (
    case_assign_handler,
    case_assist_opinion,
    case_decide_extension,
    case_decide_return,
    case_request_extension,
    case_request_return,
    case_resume,
    case_sign_for,
    case_suspend,
)
from xiaoneng.cases.services.intake import (
    Registered,
    case_answer_directly,
    case_dispatch,
    case_invalidate,
    case_merge,
    case_register,
    case_withdraw,
)
from xiaoneng.cases.services.pool import case_accept
from xiaoneng.cases.services.replies import (
    case_recall_reply,
    reply_draft_save,
    reply_template_delete,
    reply_template_save,
)

__all__ = [
    "Registered",
    "attachment_add",
    "case_accept",
    "case_answer_directly",
    "case_assign_handler",
    "case_assist_opinion",
    "case_close",
    "case_decide_extension",
    "case_decide_return",
    "case_dispatch",
    "case_invalidate",
    "case_merge",
    "case_rate",
    "case_recall_reply",
    "case_register",
    "case_reopen",
    "case_reply",
    "case_request_extension",
    "case_request_return",
    "case_resume",
    "case_review_reply",
    "case_sign_for",
    "case_suspend",
    "case_withdraw",
    "reply_draft_save",
    "reply_template_delete",
    "reply_template_save",
]
