"""What happens to the requests still waiting on a case when the case moves on.

A case can carry several waiting requests at once (an extension request, a return request,
assisting departments' opinions, a reply draft awaiting the head's review). Each pair is decided
explicitly (docs/cases.md, "Pending requests"): a request that the new step makes pointless is
withdrawn here, with a timeline event saying why, so no queue keeps offering a decision that can
no longer be taken. Called inside the transition's transaction, after the case row is locked.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from xiaoneng.cases import clocks
from xiaoneng.cases.models import Case, CaseAssist, Decision, ReplyDraft
from xiaoneng.cases.services.steps import record

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

    from xiaoneng.org.actors import Actor

# Why a waiting request was withdrawn; the keys are stored in the event's data.
RETURN_REQUESTED = "return_requested"
REPLIED = "replied"
REDISPATCHED = "redispatched"
ENDED = "ended"

CAUSE_LABELS = {
    RETURN_REQUESTED: _("because a return was requested"),
    REPLIED: _("because the reply went out"),
    REDISPATCHED: _("because the case went to another department"),
    ENDED: _("because the case ended"),
}


def _withdraw_request(
    case: Case, requests: RelatedManager[Any], *, action: str, by: Actor, cause: str, at: datetime
) -> bool:
    """Withdraw the pending request of ``requests`` (extension or return), if any."""
    request = requests.select_for_update().filter(decision=Decision.PENDING).first()
    if request is None:
        return False
    request.decision, request.decided_at = Decision.WITHDRAWN, at
    request.save(update_fields=["decision", "decided_at"])
    record(
        case,
        action=action,
        user=by,
        from_state=case.state,
        data={"request": request.pk, "cause": cause},
        public=False,
        at=at,
    )
    return True


def withdraw_extension(case: Case, *, by: Actor, cause: str, at: datetime) -> bool:
    """Withdraw the pending extension request, if any; True when one was withdrawn."""
    return _withdraw_request(
        case, case.extension_requests, action="extension_withdrawn", by=by, cause=cause, at=at
    )


def withdraw_assists(
    case: Case, *, by: Actor, cause: str, at: datetime, keep: set[int] | None = None
) -> int:
    """Withdraw the opinions still awaited (except from the departments in ``keep``) and stop
    their clocks: nobody is asked any more for an opinion that can no longer change anything."""
    waiting = case.assists.select_for_update().filter(opinion=CaseAssist.Opinion.PENDING)
    if keep:
        waiting = waiting.exclude(department_id__in=keep)
    withdrawn = 0
    for assist in waiting:
        assist.opinion, assist.answered_at = CaseAssist.Opinion.WITHDRAWN, at
        assist.save(update_fields=["opinion", "answered_at"])
        clocks.stop(case=case, stage=clocks.ASSIST, at=at, by=by, owner=assist)
        record(
            case,
            action="assist_withdrawn",
            user=by,
            from_state=case.state,
            data={"department": assist.department_id, "cause": cause},
            public=False,
            at=at,
        )
        withdrawn += 1
    return withdrawn


def withdraw_return(case: Case, *, by: Actor, cause: str, at: datetime) -> bool:
    """Withdraw the pending return request, if any; True when one was withdrawn."""
    return _withdraw_request(
        case, case.return_requests, action="return_withdrawn", by=by, cause=cause, at=at
    )


def withdraw_all_pending(case: Case, *, by: Actor, at: datetime) -> None:
    """The case ended (withdrawn, invalid, merged): nothing on it waits for anyone any more."""
    withdraw_extension(case, by=by, cause=ENDED, at=at)
    withdraw_return(case, by=by, cause=ENDED, at=at)
    withdraw_assists(case, by=by, cause=ENDED, at=at)
    if case.reply_pending_review:
        case.reply_pending_review = False
        case.save(update_fields=["reply_pending_review"])
        ReplyDraft.objects.filter(case=case).update(status=ReplyDraft.Status.DRAFT)
