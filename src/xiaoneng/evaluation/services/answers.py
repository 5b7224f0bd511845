"""Answers: through a one-time link, or on the portal after an SMS code.

Anonymity (docs/evaluation.md): the answer is stored with its round, unit, panel, questionnaire
version and day only. The invitation is marked used in the same transaction without any
reference to the answer, and a portal visitor's phone is kept as a keyed blind index in
``PublicVoter`` (one answer per phone and unit), apart from the answer. No audit row is written
for an answer: its time and client address would tie it to the person; the counts per panel
are the record.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from xiaoneng.errors import DomainError
from xiaoneng.evaluation.answering import answers_read
from xiaoneng.evaluation.models import (
    Invitation,
    Panel,
    PanelCount,
    PhoneCode,
    PublicVoter,
    Response,
    ResponseItem,
    Round,
    RoundUnit,
)
from xiaoneng.evaluation.services.invitations import token_hash
from xiaoneng.fieldcrypt.datakeys import blind_index, normalise_phone
from xiaoneng.notify.services import notification_enqueue
from xiaoneng.sealing import Secret

CODE_MINUTES = 10
CODE_ATTEMPTS = 5
CODE_INTERVAL = timedelta(seconds=60)


def _store(round_unit: RoundUnit, panel: Panel, submitted: dict[str, list[str]]) -> Response:
    round_ = round_unit.round
    rows = answers_read(round_.version.items, submitted)
    response = Response.objects.create(
        round=round_,
        round_unit=round_unit,
        panel=panel,
        version=round_.version,
        submitted_on=timezone.localdate(),
    )
    ResponseItem.objects.bulk_create(
        ResponseItem(response=response, key=r.key, choice=r.choice, score=r.score, text=r.text)
        for r in rows
    )
    PanelCount.objects.filter(panel=panel, round_unit=round_unit).update(answered=F("answered") + 1)
    return response


def invitation_check(token: str, *, lock: bool = False) -> Invitation:
    """The invitation of a link, if it may still be answered; refused with the reason."""
    rows = Invitation.objects.select_related("round__version", "round_unit", "panel")
    if lock:
        rows = rows.select_for_update()
    invitation = rows.filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise DomainError(_("This link is not valid. Please check that it was copied whole."))
    if invitation.used:
        raise DomainError(_("This link has been used already: each link takes one answer."))
    if invitation.expires_at <= timezone.now():
        raise DomainError(_("This link has expired."))
    if invitation.round.state != Round.State.OPEN:
        raise DomainError(_("This evaluation is not open for answers."))
    return invitation


def invitation_answer(*, token: str, submitted: dict[str, list[str]]) -> None:
    """Store the answer given through a one-time link and spend the link. Returns nothing, on
    purpose: the caller has no handle on the answer either."""
    with transaction.atomic():
        invitation = invitation_check(token, lock=True)
        _store(invitation.round_unit, invitation.panel, submitted)
        Invitation.objects.filter(pk=invitation.pk).update(used=True)


def _public_unit(round_unit: RoundUnit) -> Panel:
    round_ = round_unit.round
    if round_.state != Round.State.OPEN or not round_.public_open:
        raise DomainError(_("This evaluation is not open for answers."))
    return round_.panels.get(kind=Panel.Kind.PUBLIC)


def _mobile(phone: str) -> str:
    digits = normalise_phone(phone)
    if len(digits) != 11 or not digits.startswith("1"):
        raise DomainError(_("Please enter a mobile number of 11 digits."))
    return digits


def _code_hash(round_unit: RoundUnit, index: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{round_unit.pk}\0{index}\0{code}".encode(), hashlib.sha256).hexdigest()


def public_code_send(*, round_unit: RoundUnit, phone: str) -> None:
    """Text a six-digit code to the phone (one answer per phone and unit)."""
    _public_unit(round_unit)
    digits = _mobile(phone)
    index = blind_index(digits, kind="phone")
    if PublicVoter.objects.filter(round_unit=round_unit, phone_index=index).exists():
        raise DomainError(_("This phone number has already answered for this unit."))
    now = timezone.now()
    with transaction.atomic():
        recent = PhoneCode.objects.select_for_update().filter(
            round_unit=round_unit, phone_index=index
        )
        if recent.filter(
            expires_at__gt=now + timedelta(minutes=CODE_MINUTES) - CODE_INTERVAL
        ).exists():
            raise DomainError(_("A code was sent a moment ago; please wait a minute."))
        recent.delete()
        code = f"{secrets.randbelow(10**6):06d}"
        PhoneCode.objects.create(
            round_unit=round_unit,
            phone_index=index,
            code_hash=_code_hash(round_unit, index, code),
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        with override("zh-hans"):
            template = gettext(
                "Your code for the evaluation: %(code)s (valid %(minutes)s minutes)."
            )
        notification_enqueue(
            channel="sms",
            kind="evaluation.code",
            subject=round_unit.round.title,
            body=template,
            params={"code": Secret(code), "minutes": CODE_MINUTES},
            address=digits,
        )


def public_code_check(*, round_unit: RoundUnit, phone: str, code: str) -> str:
    """The phone's blind index once the code is right (kept in the visitor's session until the
    answer is stored); refused otherwise."""
    _public_unit(round_unit)
    index = blind_index(_mobile(phone), kind="phone")
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(round_unit=round_unit, phone_index=index, expires_at__gt=timezone.now())
            .first()
        )
        if row is None:
            raise DomainError(_("The code has expired; please ask for a new one."))
        if row.attempts >= CODE_ATTEMPTS:
            raise DomainError(_("Too many wrong codes; please ask for a new one."))
        if not hmac.compare_digest(row.code_hash, _code_hash(round_unit, index, code.strip())):
            PhoneCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
            raise DomainError(_("The code is not right."))
        row.delete()
    return index


def public_answer(
    *, round_unit: RoundUnit, phone_index: str, submitted: dict[str, list[str]]
) -> None:
    """Store a verified portal visitor's answer; a second answer from the phone is refused."""
    panel = _public_unit(round_unit)
    try:
        with transaction.atomic():
            PublicVoter.objects.create(round_unit=round_unit, phone_index=phone_index)
            _store(round_unit, panel, submitted)
    except IntegrityError:
        raise DomainError(_("This phone number has already answered for this unit.")) from None
