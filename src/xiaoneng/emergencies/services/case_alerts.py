"""Urgent public requests escalate like incidents: the post a request waits on is alerted — its
A holder, then the B holder, then the department's head, round after round — until someone
acknowledges. The case engine announces the fact (``cases.facts.URGENT_REQUEST``: registered
into a pool, or dispatched); this module reacts, and writes on the case's staff-only timeline.

Locks: the case first, then the alert (the order every service here keeps)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng import deferred
from xiaoneng.cases.config_cache import intake_post_away
from xiaoneng.cases.facts import CaseFact
from xiaoneng.cases.models import Case
from xiaoneng.cases.pool import acting_of, in_pool
from xiaoneng.cases.services.events import case_event_record
from xiaoneng.cases.states import State
from xiaoneng.emergencies.models import Alert
from xiaoneng.emergencies.selectors import Step
from xiaoneng.emergencies.services._common import _new_alert, _now, _reply_codes
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.models import Notification
from xiaoneng.notify.services import notification_enqueue
from xiaoneng.org.models import Post, Staff
from xiaoneng.org.selectors import absent_staff_ids, post_acting_holder

INTAKE, SIGN_FOR = "intake", "sign_for"


def _stage(case: Case) -> str:
    """What the request waits for now: acceptance from the pool, or signing for."""
    if not case.is_open:
        return ""
    if in_pool(case):
        return INTAKE
    if case.state == State.DISPATCHED:
        return SIGN_FOR
    return ""


def _post(case: Case, stage: str) -> Post | None:
    post_id = case.unit.first_contact_post_id if stage == INTAKE else case.post_id
    if post_id is None:
        return None
    return (
        Post.objects.select_related("a_holder__user", "b_holder__user", "department__head__user")
        .filter(pk=post_id)
        .first()
    )


def case_chain(*, case: Case, stage: str, at: datetime) -> list[Step]:
    """The post's acting holder (A, or B while A is away), the other holder, then the head of
    its department; people away are skipped, nobody twice."""
    post = _post(case, stage)
    if post is None:
        return []
    return _chain(post, at=at)


def _chain(post: Post, *, at: datetime, away: set[int] | None = None) -> list[Step]:
    """``case_chain`` of ``post``; ``away``: who of its people is away at ``at``, if known."""
    acting = post_acting_holder(post=post, at=at) if away is None else acting_of(post, away)
    capacity = {"a": "post_a", "b": "post_b"}.get(str(acting.capacity), "department_head")
    steps: list[tuple[Staff | None, str]] = [
        (acting.staff, capacity),
        (post.a_holder, "post_a"),
        (post.b_holder, "post_b"),
        (post.department.head, "department_head"),
    ]
    if away is None:
        people = [staff for staff, _capacity in steps if staff is not None]
        away = absent_staff_ids(staff_ids=[s.pk for s in people], at=at)
    chain: list[Step] = []
    for staff, role in steps:
        if staff is None or staff.pk in away or any(s.staff.pk == staff.pk for s in chain):
            continue
        chain.append(Step(staff=staff, capacity=role))
    return chain


def _send(case: Case, *, step: Step, index: int, round: int, stage: str, at: datetime) -> Alert:
    (alert,) = _send_many([(case, step)], index=index, round=round, stage=stage, at=at)
    return alert


def _send_many(
    sends: Sequence[tuple[Case, Step]], *, index: int, round: int, stage: str, at: datetime
) -> list[Alert]:
    """Alert each case's step: the alerts in one insert, their reply codes from one query, each
    alert's timeline event and messages (held by the caller's ``deferred_inserts``, if any)."""
    codes = _reply_codes([step.staff.pk for _case, step in sends], at)
    alerts = [
        _new_alert(
            case=case,
            line=Alert.Line.CASE,
            case_stage=stage,
            step=step,
            index=index,
            round=round,
            at=at,
            reply_code=code,
        )
        for (case, step), code in zip(sends, codes, strict=True)
    ]
    # The keys first: each alert's event names its alert.
    deferred.insert_keyed(Alert, alerts)
    for (case, step), alert in zip(sends, alerts, strict=True):
        _announce(case, step=step, alert=alert, round=round, at=at)
    return alerts


def _announce(case: Case, *, step: Step, alert: Alert, round: int, at: datetime) -> None:
    data = {"alert": alert.pk, "recipient": step.staff.name, "capacity": step.capacity}
    case_event_record(
        case, action="urgent_alert", user=None, data={**data, "round": round}, public=False, at=at
    )
    params = {"number": case.number, "title": case.title, "code": alert.reply_code}
    subject = _("Urgent request: please acknowledge")
    body = gettext(
        "Urgent request %(number)s: %(title)s. Acknowledge in the office, or reply %(code)s."
    )
    if step.staff.user.is_active:
        notification_enqueue(
            channel=Notification.Channel.INBOX,
            kind="emergencies.urgent_case",
            subject=subject,
            body=body % params,
            user=step.staff.user,
            obj=case,
            case_number=case.number,
        )
        if step.staff.phone:
            # Urgent alerts always go by SMS as well.
            notification_enqueue(
                channel=Notification.Channel.SMS,
                kind="emergencies.urgent_case",
                subject=subject,
                body=body,
                params=params,
                address=step.staff.phone,
                obj=case,
                case_number=case.number,
            )


def _withdraw_pending(case: Case, *, at: datetime) -> int:
    return Alert.objects.filter(case=case, state=Alert.State.PENDING).update(
        state=Alert.State.WITHDRAWN, next_check_at=None, passed_on_at=at
    )


def urgent_case_alert_start(*, case: Case, at: datetime | None = None) -> Alert | None:
    """Alert the first of the chain of the post the urgent request waits on now; alerts still
    pending from an earlier stage are withdrawn. None when nobody is to be alerted."""
    at = _now(at)
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
        _withdraw_pending(case, at=at)
        stage = _stage(case)
        chain = case_chain(case=case, stage=stage, at=at) if case.urgent and stage else []
        if not chain:
            return None
        return _send(case, step=chain[0], index=0, round=1, stage=stage, at=at)


def _registered_alerts_start(cases: Sequence[Case], *, at: datetime | None = None) -> None:
    """``urgent_case_alert_start`` for cases their registration's transaction has just written
    into an intake pool: nobody else sees them yet and no alert of them exists, so they are
    neither read back, locked nor searched for pending alerts; the chain of their unit's intake
    post comes from the per-process cache (``cases.config_cache``), and the alerts of a whole
    registration (a batch, an import chunk) are written together (``_send_many``)."""
    at = _now(at)
    sends: list[tuple[Case, Step]] = []
    for case in cases:
        stage = _stage(case)
        post_id = case.unit.first_contact_post_id if stage == INTAKE else None
        if post_id is None or not case.urgent:
            urgent_case_alert_start(case=case, at=at)
            continue
        post, away = intake_post_away(post_id, at=at)
        chain = _chain(post, at=at, away=away)
        if chain:
            sends.append((case, chain[0]))
    if sends:
        _send_many(sends, index=0, round=1, stage=INTAKE, at=at)


def on_urgent_request(facts: Sequence[CaseFact]) -> None:
    """The handler of ``cases.facts.URGENT_REQUEST`` (registered in the app's ``ready``)."""
    registered = [fact.case for fact in facts if fact.key.startswith("register:")]
    if registered:
        _registered_alerts_start(registered)
    for fact in facts:
        if not fact.key.startswith("register:"):
            urgent_case_alert_start(case=fact.case)


def _locked(alert: Alert) -> tuple[Case | None, Alert | None]:
    case_id = Alert.objects.filter(pk=alert.pk).values_list("case_id", flat=True).first()
    if case_id is None:
        return None, None
    case = Case.objects.select_for_update().select_related("unit").get(pk=case_id)
    found = Alert.objects.select_for_update().select_related("recipient__user").get(pk=alert.pk)
    return case, found


def case_alert_escalate(*, alert: Alert, at: datetime | None = None) -> Alert | None:
    """Not acknowledged in time: passed on to the next of the chain (after the last, from the
    start again). Nothing happens once the request has left the stage, or someone acknowledged."""
    at = _now(at)
    with transaction.atomic():
        case, found = _locked(alert)
        if case is None or found is None or found.state != Alert.State.PENDING:
            return None
        if found.next_check_at is None or found.next_check_at > at:
            return None
        alert = found
        acknowledged = Alert.objects.filter(
            case=case, case_stage=alert.case_stage, state=Alert.State.ACKNOWLEDGED
        ).exists()
        chain = case_chain(case=case, stage=alert.case_stage, at=at)
        if acknowledged or _stage(case) != alert.case_stage or not chain:
            alert.next_check_at = None
            alert.save(update_fields=["next_check_at"])
            return None
        alert.state, alert.passed_on_at, alert.next_check_at = Alert.State.PASSED_ON, at, None
        alert.save(update_fields=["state", "passed_on_at", "next_check_at"])
        index, round = alert.step + 1, alert.round
        if index >= len(chain):
            index, round = 0, round + 1
        step = chain[index]
        data = {"from_alert": alert.pk, "to": step.staff.name, "round": round}
        case_event_record(
            case, action="urgent_escalated", user=None, data=data, public=False, at=at
        )
        return _send(case, step=step, index=index, round=round, stage=alert.case_stage, at=at)


def case_alert_acknowledge(
    *, alert: Alert, by: Any, at: datetime | None = None, via: str = "office"
) -> Alert:
    """The recipient knows (a click, or ``via`` "sms" a reply code): the chain stops."""
    at = _now(at)
    with transaction.atomic():
        case, found = _locked(alert)
        if case is None or found is None or found.recipient.user_id != getattr(by, "pk", None):
            raise PermissionDenied(_("Only the person alerted can acknowledge this alert."))
        alert = found
        if alert.state == Alert.State.ACKNOWLEDGED:
            raise DomainError(_("This alert has already been acknowledged."))
        if alert.state == Alert.State.WITHDRAWN:
            raise DomainError(_("This alert is no longer needed: the request has moved on."))
        alert.state, alert.acknowledged_at, alert.next_check_at = (
            Alert.State.ACKNOWLEDGED,
            at,
            None,
        )
        alert.save(update_fields=["state", "acknowledged_at", "next_check_at"])
        data = {"alert": alert.pk, "late": at > alert.ack_due_at, "via": via}
        case_event_record(
            case, action="urgent_acknowledged", user=by, data=data, public=False, at=at
        )
    return alert
