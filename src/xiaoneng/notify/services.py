"""Writing to the outbox, and the recipient's and the operator's changes to its rows.

``notification_enqueue`` runs inside the transaction of the change it reports, so a message
exists if and only if that change committed. It writes no audit row: the change already does.
Every path that writes outbox rows (one row, many, or rows held back by ``deferred`` and written
in bulk) asks for a relay run once that transaction commits.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from django.db import connection, transaction
from django.db.models import Model
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng import deferred
from xiaoneng.audit.services import log_action
from xiaoneng.errors import DomainError
from xiaoneng.notify.models import ChannelPreference, Notification
from xiaoneng.notify.relay import relay_prompt
from xiaoneng.org.models import Staff, User
from xiaoneng.org.roles import ADMIN_ROLES
from xiaoneng.org.selectors import user_roles
from xiaoneng.privacy import mask_phone
from xiaoneng.sealing import MASK, seal, split_params

if TYPE_CHECKING:
    from datetime import datetime

    from django_stubs_ext import StrOrPromise

_SUBJECT_MAX = Notification._meta.get_field("subject").max_length
# A mainland mobile number (11 digits from 13… to 19…), with or without +86.
MOBILE_RE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_LINK_MAX = cast(int, Notification._meta.get_field("link").max_length)
# Read once: a choices class computes ``values`` anew on every access (a registration batch
# builds thousands of rows).
_CHANNELS = frozenset(Notification.Channel.values)

log = logging.getLogger("xiaoneng.notify")


def _object_ref(obj: Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def _link_of(obj: Model | None) -> str:
    getter = getattr(obj, "get_absolute_url", None)
    if getter is None:
        return ""
    try:
        url = str(getter())
    except NoReverseMatch:
        return ""
    return url if len(url) <= _LINK_MAX else ""


def _unit_of(obj: Model | None, unit_id: int | None) -> int | None:
    if unit_id is None and obj is not None:
        return getattr(obj, "unit_id", None)
    return unit_id


def _render(body: Any, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The stored fields of a body: the body itself, or a template rendered with its secret
    parameters masked, the public parameters and the secret ones sealed for the relay."""
    if params is None:
        return {"body": str(body)}
    template = str(body)
    public, secret = split_params(params)
    return {
        "body": template % {**public, **dict.fromkeys(secret, MASK)},
        "template": template,
        "params": public,
        "secret_params": sorted(secret),
        "sealed": seal(secret),
    }


def _build(
    *,
    channel: str,
    kind: str,
    subject: StrOrPromise,
    body: StrOrPromise,
    params: Mapping[str, Any] | None = None,
    user: User | None,
    address: str,
    obj: Model | None,
    unit_id: int | None,
    case_number: str,
    link: str,
    now: datetime,
) -> Notification:
    if channel not in _CHANNELS:
        raise ValueError(f"unknown notification channel {channel!r}")
    if channel == Notification.Channel.INBOX:
        if user is None:
            raise ValueError("an inbox notification needs a user")
        address = ""
    elif channel == Notification.Channel.EMAIL and not address and user is not None:
        address = user.email
    if channel != Notification.Channel.INBOX and not address:
        raise ValueError(f"a {channel} notification needs an address")
    object_type, object_id = _object_ref(obj)
    return deferred.new_row(
        Notification,
        created_at=now,
        channel=channel,
        kind=kind,
        recipient_user=user,
        recipient_address=address.strip(),
        # Lazy translations are fixed here, in the language active when the change happened.
        subject=str(subject)[:_SUBJECT_MAX],
        **_render(body, params),
        link=link or _link_of(obj),
        object_type=object_type,
        object_id=object_id,
        case_number=case_number,
        unit_id=_unit_of(obj, unit_id),
        status=Notification.Status.PENDING,
        next_attempt_at=now,
    )


def _require_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("notifications must be enqueued inside the transaction of the change")


def _relay_after_commit() -> None:
    """Ask for a relay run once the current transaction commits: one request per transaction,
    whether its rows were saved one by one or inserted in bulk (``deferred``, which fires no
    model signals). Nothing is asked when the transaction rolls back."""
    prompt = relay_prompt()
    if prompt is None or not prompt.wanted():
        return
    # The pending callbacks are dropped on rollback, so looking there is always accurate.
    if any(getattr(func, "relay_prompt", False) for _, func, *_ in connection.run_on_commit):
        return

    def send() -> None:
        prompt.send()

    send.relay_prompt = True  # type: ignore[attr-defined]
    transaction.on_commit(send, robust=True)


def notification_enqueue(
    *,
    channel: str,
    kind: str,
    subject: StrOrPromise,
    body: StrOrPromise,
    params: Mapping[str, Any] | None = None,
    user: User | None = None,
    address: str = "",
    obj: Model | None = None,
    unit_id: int | None = None,
    case_number: str = "",
    link: str = "",
) -> Notification:
    """Write one message to the outbox inside the caller's transaction.

    ``user`` addresses a staff member (required for the inbox; an e-mail row without ``address``
    uses the user's e-mail); ``address`` is a phone number (sms) or an e-mail address (email).
    ``unit_id`` defaults to the object's unit; ``link`` to the object's ``get_absolute_url``.
    With ``params``, ``body`` is a %-template: parameters wrapped in ``sealing.Secret`` reach
    the channel only and are stored as ``******`` (sealed until sent, then discarded).
    """
    _require_transaction()
    notification = _build(
        channel=channel,
        kind=kind,
        subject=subject,
        body=body,
        params=params,
        user=user,
        address=address,
        obj=obj,
        unit_id=unit_id,
        case_number=case_number,
        link=link,
        now=timezone.now(),
    )
    deferred.insert([notification])
    _relay_after_commit()
    return notification


def notifications_enqueue_for_users(
    *,
    users: Iterable[User | None],
    kind: str,
    subject: StrOrPromise,
    body: StrOrPromise,
    obj: Model | None = None,
    channels: Iterable[str] = (Notification.Channel.INBOX,),
    unit_id: int | None = None,
    case_number: str = "",
    link: str = "",
) -> list[Notification]:
    """One inbox row per distinct active user, plus an e-mail row per user with an address when
    ``"email"`` is among ``channels``. ``None`` entries and inactive logins are skipped."""
    _require_transaction()
    wanted = list(dict.fromkeys(channels))
    unknown = set(wanted) - {Notification.Channel.INBOX, Notification.Channel.EMAIL}
    if unknown:
        raise ValueError(f"channels for users are inbox and email, not {sorted(unknown)}")
    distinct: dict[int, User] = {}
    for user in users:
        if user is not None and user.is_active and user.pk not in distinct:
            distinct[user.pk] = user
    now = timezone.now()
    # The same for every recipient: resolved once (a sweep batch sends thousands of these).
    link = link or _link_of(obj)
    subject, body = str(subject), str(body)
    rows: list[Notification] = []
    for user in distinct.values():
        for channel in wanted:
            if channel == Notification.Channel.EMAIL and not user.email:
                continue
            rows.append(
                _build(
                    channel=channel,
                    kind=kind,
                    subject=subject,
                    body=body,
                    user=user,
                    address="",
                    obj=obj,
                    unit_id=unit_id,
                    case_number=case_number,
                    link=link,
                    now=now,
                )
            )
    written = cast("list[Notification]", deferred.insert(rows))
    if written:
        _relay_after_commit()
    return written


def _mobile_of(member: Staff, preference: ChannelPreference | None) -> str:
    """The number to text: the one the person gave, else their office phone if it is a mobile."""
    if preference is not None and preference.mobile:
        return str(preference.mobile)
    phone = "".join(member.phone.split()).replace("-", "")
    return phone if MOBILE_RE.match(phone) else ""


def notify_people(
    people: Iterable[Staff | None],
    *,
    kind: str,
    subject: Any,
    body: str,
    obj: Any,
    unit_id: int | None = None,
    urgent: bool = False,
) -> int:
    """One inbox message per distinct staff member with an active login, plus an SMS and/or an
    e-mail where the person asked for them (``ChannelPreference``); returns how many people were
    told. An ``urgent`` message goes by SMS as well whatever the preference says (to the mobile
    the person gave, else an office phone that is a mobile number). ``None`` entries are
    skipped, and so are the three administrators (三员分立: the message names the matter).
    ``unit_id`` defaults to the object's unit."""
    members: dict[int, Staff] = {}
    for member in people:
        if member is None or member.user_id in members or not member.user.is_active:
            continue
        if user_roles(member.user) & ADMIN_ROLES:
            continue  # 三员分立: the message names the matter under supervision.
        members[member.user_id] = member
    preferences = {
        preference.user_id: preference
        for preference in ChannelPreference.objects.filter(user_id__in=list(members))
    }
    for member in members.values():
        preference = preferences.get(member.user_id)
        common = {"kind": kind, "subject": subject, "body": body, "user": member.user, "obj": obj}
        notification_enqueue(channel="inbox", unit_id=unit_id, **common)
        if urgent or (preference is not None and preference.sms):
            mobile = _mobile_of(member, preference)
            if mobile:
                notification_enqueue(channel="sms", address=mobile, unit_id=unit_id, **common)
            elif urgent:
                log.warning(
                    "urgent %s message to user %s: no mobile number, inbox only",
                    kind,
                    member.user_id,
                )
        if preference is not None and preference.email and member.user.email:
            notification_enqueue(channel="email", unit_id=unit_id, **common)
    return len(members)


def channel_preference_set(
    *, user: User, sms: bool, email: bool, mobile: str = ""
) -> ChannelPreference:
    """A person chooses how they are told besides the inbox; audited (the number masked)."""
    mobile = "".join(mobile.split()).replace("-", "")
    if mobile and not MOBILE_RE.match(mobile):
        raise DomainError(_("Enter a mobile phone number of 11 digits."))
    if sms and not mobile:
        raise DomainError(_("Enter the mobile phone number the text messages should go to."))
    if email and not user.email:
        raise DomainError(
            _("Your account has no e-mail address; ask the administrator to add one first.")
        )
    with transaction.atomic():
        preference, _created = ChannelPreference.objects.select_for_update().get_or_create(
            user=user
        )
        preference.sms, preference.email, preference.mobile = sms, email, mobile
        preference.save()
        log_action(
            action="notify.preferences",
            obj=preference,
            actor=user,
            summary={"sms": sms, "email": email, "mobile": mask_phone(mobile) if mobile else ""},
        )
    return preference


def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    """The recipient marks one inbox message read (again is harmless)."""
    if (
        notification.channel != Notification.Channel.INBOX
        or notification.recipient_user_id is None
        or notification.recipient_user_id != user.pk
    ):
        raise DomainError(_("Only the recipient may mark a message read."))
    if notification.read_at is None:
        now = timezone.now()
        with transaction.atomic():
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
                read_at=now
            )
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread inbox message of ``user`` read; return how many."""
    with transaction.atomic():
        return Notification.objects.filter(
            recipient_user=user, channel=Notification.Channel.INBOX, read_at__isnull=True
        ).update(read_at=timezone.now())


def notification_retry(*, notification: Notification, by: User | None) -> Notification:
    """An operator puts a failed message back in the queue: due now, attempts counted afresh."""
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if locked.status != Notification.Status.FAILED:
            raise DomainError(_("Only a failed message can be sent again."))
        if locked.secret_params and not locked.sealed:
            raise DomainError(
                _(
                    "This message carried a one-time secret that was discarded when it failed; "
                    "it cannot be sent again."
                )
            )
        attempts = locked.attempts
        locked.status = Notification.Status.PENDING
        locked.attempts = 0
        locked.next_attempt_at = timezone.now()
        locked.save(update_fields=["status", "attempts", "next_attempt_at"])
        log_action(
            action="notify.retry",
            obj=locked,
            actor=by,
            summary={"channel": locked.channel, "kind": locked.kind, "attempts": attempts},
        )
    return locked
