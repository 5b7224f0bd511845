"""Registering cases set-wise: one request or a batch of hundreds takes the same statements.

``prepare`` checks one request and builds its case and clocks in memory (nothing written, so
a refusal changes nothing); ``register_prepared`` writes any number of them: the cases in one
``INSERT … ON CONFLICT DO NOTHING`` (a repeated channel and external number is not written
and its first case answers), their clocks in one ``INSERT``, each day's numbers as one block
bumped off the day's counter in one statement, then the timeline events, outbox rows and audit
rows, held by the caller's ``deferred_inserts`` and ``audit_batch`` and written once per table.
Both run inside the caller's transaction (``case_register``, ``cases_register_batch``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases import clocks, facts
from xiaoneng.cases.config_cache import staff_of
from xiaoneng.cases.identifiers import (
    case_numbers_assign,
    new_tracking_code,
    new_tracking_secret,
    provisional_number,
    secret_hash,
)
from xiaoneng.cases.models import Case, Category, Channel, Kind
from xiaoneng.cases.notifications import efficiency_office_staff, notify_requester, notify_staff
from xiaoneng.cases.policies import policy_for
from xiaoneng.cases.pool import pool_acting_holder
from xiaoneng.cases.services.steps import now, record, require_text
from xiaoneng.cases.services.urgency import UrgencyDecision, urgency_decide, urgent_mark
from xiaoneng.deferred import insert_returning, new_row
from xiaoneng.errors import DomainError, PermissionDenied, lazy_format
from xiaoneng.org.models import Staff, Unit
from xiaoneng.privacy import redact
from xiaoneng.sealing import Secret

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor
    from xiaoneng.workdays.models import Clock

MAX_CONTENT = 5000
TITLE_FROM_CONTENT = 30
# Read once: a choices class computes ``values`` anew on every access.
_KINDS = frozenset(Kind.values)
_CHANNELS = frozenset(Channel.values)


@dataclass(frozen=True)
class Registered:
    case: Case
    # Shown once to the requester; only its hash is stored. None for a repeated request.
    tracking_secret: str | None
    created: bool
    # When the reply is due (known at registration; None for a repeated request).
    reply_due_at: datetime | None = None


@dataclass
class Prepared:
    """One request checked and built in memory, not yet written."""

    case: Case
    secret: str
    started: list[Clock]
    pooled: bool
    urgency: UrgencyDecision
    day: date


def _validate_intake(
    *,
    kind: str,
    channel: str,
    content: str,
    requester_phone: str,
    requester_email: str,
    is_anonymous: bool,
) -> str:
    if kind not in _KINDS:
        raise DomainError(_("Unknown kind of request."))
    if channel not in _CHANNELS:
        raise DomainError(_("Unknown channel."))
    content = require_text(content, _("Please describe the matter."))
    if len(content) > MAX_CONTENT:
        raise DomainError(
            lazy_format(
                _("The description is too long (at most %(max)d characters)."),
                {"max": MAX_CONTENT},
            )
        )
    if is_anonymous and kind != Kind.REPORT:
        raise DomainError(_("Only a report (举报) can be made anonymously."))
    if (
        not is_anonymous
        and not (requester_phone or requester_email)
        and channel in {Channel.ONLINE, Channel.OPEN311}
    ):
        raise DomainError(_("Please leave a phone number or e-mail address so we can reply."))
    return content


def receiving_unit(unit: Unit | None) -> Unit | None:
    """The unit whose intake pool receives a request for ``unit``: the unit itself when it
    has named a first-contact post, else the nearest parent that has one, else the unit."""
    current = unit
    while current is not None:
        if current.first_contact_post_id is not None:
            return current
        current = current.parent
    return unit


def registrar(
    by: Actor, *, unit: Unit | None, unit_concerned: Unit | None, in_person: bool | None
) -> tuple[Staff | None, bool, Unit]:
    """(the registering staff member, whether the case waits in a pool, its owning unit)."""
    staff = staff_of(by) if by else None
    if by is not None and staff is None:
        raise PermissionDenied(_("Only staff members may register on someone's behalf."))
    pooled = staff is None if in_person is None else not in_person
    if pooled:
        owner = receiving_unit(unit or unit_concerned or (staff.unit if staff else None))
    else:
        owner = unit or (staff.unit if staff else None) or unit_concerned
    if owner is None:
        owner = Unit.objects.filter(parent=None, kind=Unit.Kind.BUREAU).order_by("pk").first()
    if owner is None:
        raise DomainError(_("No unit is set up to receive requests."))
    return staff, pooled, owner


def _title_from(content: str, fields: dict[str, Any]) -> str:
    """A title for a request that came without one (Open311, some hotline rows). Titles reach
    lists, notifications and exports, so the personal data in the words is redacted first,
    exactly as for published text, and only then cut."""
    personal = [
        fields.get(name) or ""
        for name in (
            "requester_name",
            "person_concerned",
            "requester_phone",
            "requester_email",
            "requester_id_number",
        )
    ]
    return redact(" ".join(content.split()), personal)[:TITLE_FROM_CONTENT]


def prepare(
    *,
    by: Actor,
    staff: Staff | None,
    pooled: bool,
    owner: Unit,
    channel: str,
    kind: str,
    category: Category,
    content: str,
    title: str = "",
    registered_at: datetime | None = None,
    urgent: bool | None = None,
    **fields: Any,
) -> Prepared:
    """Check one request and build its case and first clocks in memory (nothing written)."""
    content = _validate_intake(
        kind=kind,
        channel=channel,
        content=content,
        requester_phone=fields.get("requester_phone", ""),
        requester_email=fields.get("requester_email", ""),
        is_anonymous=fields.get("is_anonymous", False),
    )
    fields["external_number"] = (fields.get("external_number") or "").strip()
    urgency = urgency_decide(kind=kind, category=category, text=f"{title} {content}", urgent=urgent)
    at = registered_at or now()
    code, secret = new_tracking_code(), new_tracking_secret()
    case = new_row(
        Case,
        number=provisional_number(code),
        tracking_code=code,
        tracking_secret_hash=secret_hash(code, secret),
        title=(title.strip() or _title_from(content, fields))[:120],
        content=content,
        channel=channel,
        kind=kind,
        category=category,
        unit=owner,
        first_contact=None if pooled else staff,
        policy_version=policy_for(channel=channel, kind=kind, urgent=bool(urgency.value)),
        registered_at=at,
        urgent=bool(urgency.value),
        urgency=urgency.value,
        **fields,
    )
    started = clocks.new_case_clocks(case=case, at=at, pooled=pooled)
    return Prepared(
        case=case,
        secret=secret,
        started=started,
        pooled=pooled,
        urgency=urgency,
        day=timezone.localtime(at).date(),
    )


def register_prepared(prepared: list[Prepared], *, by: Actor) -> list[Registered]:
    """Write prepared registrations set-wise, in the caller's transaction (with its
    ``audit_batch`` and ``deferred_inserts``); the results in the order of ``prepared``. An
    item whose channel and external number are already taken (before, or earlier in the same
    list) is not written: its result is that case, ``created`` false."""
    cases = [item.case for item in prepared]
    insert_returning(Case, cases, key="tracking_code", ignore_conflicts=True)
    written = [item for item in prepared if item.case.pk is not None]
    existing = _existing([item.case for item in prepared if item.case.pk is None])
    started: list[Clock] = []
    for item in written:
        for clock in item.started:
            clock.owner_id = item.case.pk
            started.append(clock)
    clocks.start_new_cases(started, by=by)
    # The numbers last: the day's counter stays locked from here to the commit only.
    case_numbers_assign([item.case for item in written], [item.day for item in written])
    with override("zh-hans"):
        # Read once for the batch: activating a language per case cost more than the text.
        receipt = gettext(
            "Your request %(number)s has been registered. Tracking code: %(code)s, "
            "secret: %(secret)s. The reply is promised by %(due)s."
        )
    pooled_subject = gettext("A new request waits in the intake pool")
    urgent = [
        fact
        for item in written
        if (fact := _announce(item, by=by, receipt=receipt, pooled_subject=pooled_subject))
        is not None
    ]
    # Announced together: the urgent requests' alerts are written at once, and a reader of
    # arrivals (triage) reads a batch at once.
    facts.announce_batch(urgent)
    facts.announce_batch([facts.CaseFact(kind=facts.ARRIVED, case=item.case) for item in written])
    results = []
    for item in prepared:
        if item.case.pk is not None:
            results.append(
                Registered(
                    case=item.case,
                    tracking_secret=item.secret,
                    created=True,
                    reply_due_at=item.started[0].due_at,
                )
            )
            continue
        found = existing.get((item.case.channel, item.case.external_number))
        if found is None:
            raise IntegrityError("a new case collided with a unique value")
        results.append(Registered(case=found, tracking_secret=None, created=False))
    return results


def _existing(skipped: list[Case]) -> dict[tuple[str, str], Case]:
    """The cases that stood in the way of ``skipped`` (one query, none when none)."""
    numbers = {case.external_number for case in skipped if case.external_number}
    if not numbers:
        return {}
    found = Case.objects.filter(external_number__in=numbers)
    return {(case.channel, case.external_number): case for case in found}


def _announce(
    item: Prepared, *, by: Actor, receipt: str, pooled_subject: str
) -> facts.CaseFact | None:
    """The timeline event, the requester's receipt (``receipt``, the template in Chinese)
    and the pool's message; the urgent request's fact, for the caller to announce with the
    others of its batch."""
    case, at = item.case, item.case.registered_at
    data = {"channel": case.channel, "kind": case.kind, "pool": item.pooled}
    record(case, action="register", user=by, data=data, at=at)
    # The secret goes to the gateway only; every stored copy shows it as ******. The promised
    # date is the reply clock's due moment, as the receipt and the tracking page show it.
    due = timezone.localtime(item.started[0].due_at).strftime("%Y-%m-%d %H:%M")
    notify_requester(
        case,
        kind="case.registered",
        message=receipt,
        params={
            "number": case.number,
            "code": case.tracking_code,
            "secret": Secret(item.secret),
            "due": due,
        },
    )
    if item.pooled:
        # Not registered in person: it waits in the receiving unit's intake pool.
        acting = pool_acting_holder(case.unit, at=at)
        pool_staff: Iterable[Staff | None] = (
            [acting.staff] if acting is not None else efficiency_office_staff()
        )
        notify_staff(
            case,
            pool_staff,
            kind="case.pooled",
            subject=pooled_subject,
        )
    if item.urgency.value:
        return urgent_mark(case, by=by, urgency=item.urgency, at=at)
    return None
