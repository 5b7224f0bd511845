"""Integration clients and their keys, the audit row of each call, and idempotent intake."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from xiaoneng.api.models import ApiClient, ApiIdempotency, ApiKey
from xiaoneng.api.scopes import SCOPES, SERVICE_ROLES
from xiaoneng.audit.services import audit_batch, log_action
from xiaoneng.cases.models import Case
from xiaoneng.cases.services import Registered, case_register
from xiaoneng.cases.services.registering import Prepared, prepare, register_prepared, registrar
from xiaoneng.deferred import deferred_inserts
from xiaoneng.errors import DomainError, lazy_format
from xiaoneng.org.models import Department, Unit, User
from xiaoneng.org.selectors import user_roles_prime
from xiaoneng.org.services import staff_create
from xiaoneng.workdays.calendar import config_cached

KEY_PREFIX = "xn_"
_KEY_ALPHABET = string.ascii_letters + string.digits
DEFAULT_KEY_DAYS = 365
# last_used_at is written at most this often per key: a call must stay cheap.
TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    # Shown once; only its hash is stored.
    plaintext: str


def key_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def key_prefix(plaintext: str) -> str:
    """The 8 characters after ``xn_``: stored in clear to find the key, shown in lists."""
    return plaintext[len(KEY_PREFIX) : len(KEY_PREFIX) + 8]


def _validate_scopes(scopes: Iterable[str]) -> list[str]:
    wanted = sorted(set(scopes))
    unknown = [scope for scope in wanted if scope not in SCOPES]
    if unknown:
        raise DomainError(_("Unknown scope: %(scope)s.") % {"scope": ", ".join(unknown)})
    return wanted


def apiclient_create(
    *,
    name: str,
    scopes: Iterable[str],
    by: User | None,
    unit: Unit | None = None,
    department: Department | None = None,
    roles: Iterable[str] = ("intake",),
) -> ApiClient:
    """Create a client and its service account (a staff member in ``unit`` or the bureau)."""
    name = name.strip()
    if not name:
        raise DomainError(_("Please give the client a name."))
    wanted_scopes = _validate_scopes(scopes)
    roles = list(roles)
    forbidden = [role for role in roles if role not in SERVICE_ROLES]
    if forbidden:
        raise DomainError(
            _("A service account may not hold the role %(role)s.") % {"role": forbidden[0]}
        )
    if ApiClient.objects.filter(name=name).exists():
        raise DomainError(_("A client named %(name)s already exists.") % {"name": name})
    home = unit or Unit.objects.filter(parent=None, kind=Unit.Kind.BUREAU).order_by("pk").first()
    if home is None:
        raise DomainError(_("No unit is set up to receive requests."))
    username = f"api-{slugify(name) or secrets.token_hex(4)}"[:150]
    if User.objects.filter(username=username).exists():
        username = f"{username[:140]}-{secrets.token_hex(4)}"
    with transaction.atomic():
        staff = staff_create(
            username=username,
            full_name=name,
            unit=home,
            department=department,
            roles=roles,
            title=str(_("Integration client")),
            by=by,
        )
        client = ApiClient.objects.create(
            name=name, unit=unit, scopes=wanted_scopes, user=staff.user, created_by=by
        )
        log_action(
            action="api.client.create",
            obj=client,
            actor=by,
            unit_id=unit.pk if unit else None,
            summary={"name": name, "scopes": wanted_scopes, "roles": sorted(roles)},
        )
    return client


def apiclient_deactivate(*, client: ApiClient, by: User | None) -> ApiClient:
    with transaction.atomic():
        client.is_active = False
        client.save(update_fields=["is_active"])
        User.objects.filter(pk=client.user_id).update(is_active=False)
        log_action(action="api.client.deactivate", obj=client, actor=by)
    return client


def apikey_issue(
    *, client: ApiClient, by: User | None, days: int | None = DEFAULT_KEY_DAYS
) -> IssuedKey:
    """A new key for the client; older keys stay valid until revoked (rotation without downtime)."""
    if not client.is_active:
        raise DomainError(_("This client is deactivated."))
    if days is not None and days <= 0:
        raise DomainError(_("A key must be valid for at least one day."))
    # Letters and digits only: a key (or its prefix) starting with "-" would read as an option
    # on the command line, and "_" or "-" are easy to lose when a key is copied by hand.
    plaintext = KEY_PREFIX + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(43))
    expires_at = timezone.now() + timedelta(days=days) if days is not None else None
    with transaction.atomic():
        key = ApiKey.objects.create(
            client=client,
            prefix=key_prefix(plaintext),
            key_hash=key_hash(plaintext),
            expires_at=expires_at,
        )
        log_action(
            action="api.key.issue",
            obj=client,
            actor=by,
            summary={"prefix": key.prefix, "expires": expires_at.isoformat() if expires_at else ""},
        )
    return IssuedKey(key=key, plaintext=plaintext)


def apikey_revoke(*, key: ApiKey, by: User | None) -> ApiKey:
    """Revoke at once; revoking again is harmless."""
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            log_action(
                action="api.key.revoke",
                obj=key.client,
                actor=by,
                summary={"prefix": key.prefix},
            )
    return key


def apikey_authenticate(*, plaintext: str, at: datetime | None = None) -> ApiKey | None:
    """The valid key of an active client with this plaintext, or None; notes when it was used."""
    if not plaintext.startswith(KEY_PREFIX) or len(plaintext) > 100:
        return None
    at = at or timezone.now()
    digest = key_hash(plaintext)
    # Kept per process until a key, a client or a role changes (the configuration token, bumped
    # by their signals in api/apps.py and cases/config_cache.py); unknown keys are not kept.
    key = config_cached(
        ("api.key", digest), lambda: _key_by_digest(plaintext, digest), keep_none=False
    )
    if key is None:
        return None
    if not key.is_valid(at) or not key.client.is_active or not key.client.user.is_active:
        return None
    if key.last_used_at is None or at - key.last_used_at > TOUCH_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=at)
        key.last_used_at = at
    return key


def _key_by_digest(plaintext: str, digest: str) -> ApiKey | None:
    candidates = ApiKey.objects.select_related("client__user", "client__unit").filter(
        prefix=key_prefix(plaintext)
    )
    for key in candidates:
        if hmac.compare_digest(key.key_hash, digest):
            user_roles_prime([key.client.user])
            return key
    return None


def apicall_record(
    *, client: ApiClient, key_prefix: str, method: str, path: str, status: int
) -> None:
    """The audit row of one call of an integration client: in the call's own transaction (and
    audit batch) when there is one, else in a transaction of its own."""
    with transaction.atomic(savepoint=False):
        log_action(
            action="api.call",
            actor=client.user,
            unit_id=client.unit_id,
            summary={
                "client": client.name,
                "key": key_prefix,
                "method": method,
                "path": path[:200],
                "status": status,
            },
        )


def _existing(*, user: User, key: str, request_hash: str) -> Case | None:
    row = ApiIdempotency.objects.select_related("case").filter(user=user, key=key).first()
    if row is None:
        return None
    if row.request_hash != request_hash:
        raise DomainError(
            _("This Idempotency-Key was already used with a different request."),
            code="idempotency_conflict",
        )
    return row.case


def api_case_register(
    *, by: User, idempotency_key: str = "", request_hash: str = "", **fields: Any
) -> Registered:
    """Register a case; a repeated request with the same Idempotency-Key (or the same external
    number) returns the case registered the first time, even when both arrive at once."""
    if not idempotency_key:
        return case_register(by=by, **fields)
    existing = _existing(user=by, key=idempotency_key, request_hash=request_hash)
    if existing is not None:
        return Registered(case=existing, tracking_secret=None, created=False)
    try:
        with transaction.atomic():
            registered = case_register(by=by, **fields)
            ApiIdempotency.objects.create(
                user=by, key=idempotency_key, request_hash=request_hash, case=registered.case
            )
    except IntegrityError:
        # The same key arrived twice at once: the other request registered the case.
        existing = _existing(user=by, key=idempotency_key, request_hash=request_hash)
        if existing is None:
            raise
        return Registered(case=existing, tracking_secret=None, created=False)
    return registered


def api_case_register_batch(*, by: User, items: list[dict[str, Any]]) -> list[Registered]:
    """Register many cases in one transaction, all or nothing, set-wise: each item is checked
    as a single registration is (a refused item rolls every item back and the error names
    it), then all the cases go in with one ``INSERT``, their clocks with one, each day's
    numbers as one block, and the events, messages and audit rows once per table
    (``cases.services.registering``). Each item is idempotent as ``api_case_register`` is: by
    its Idempotency-Key (read for the whole batch in one query) or by its channel and external
    number; the same key twice in one batch gives the same case twice."""
    keys = {item["idempotency_key"] for item in items if item.get("idempotency_key")}
    known: dict[str, ApiIdempotency] = {}
    if keys:
        rows = ApiIdempotency.objects.select_related("case").filter(user=by, key__in=keys)
        known = {row.key: row for row in rows}
    prepared: list[Prepared] = []
    # Per item: its place among ``prepared``, or the case an earlier call registered.
    slots: list[int | Case] = []
    try:
        registered = _batch_write(by, items, known, prepared, slots)
    except IntegrityError as exc:
        # Another batch with the same idempotency key committed while this one ran: this one
        # rolled back whole; sent again, it answers that batch's cases.
        raise DomainError(
            _("Another request registered some of these items at the same moment; send it again."),
            code="idempotency_conflict",
        ) from exc
    results: list[Registered] = []
    handed: set[int] = set()
    for place in slots:
        if isinstance(place, Case):
            results.append(Registered(case=place, tracking_secret=None, created=False))
        elif place in handed:
            # The same key twice in the batch: the second is a repeat of the first.
            repeat = registered[place].case
            results.append(Registered(case=repeat, tracking_secret=None, created=False))
        else:
            handed.add(place)
            results.append(registered[place])
    return results


def _batch_write(
    by: User,
    items: list[dict[str, Any]],
    known: dict[str, ApiIdempotency],
    prepared: list[Prepared],
    slots: list[int | Case],
) -> list[Registered]:
    first_of_key: dict[str, tuple[int, str]] = {}
    new_keys: list[tuple[str, str, int]] = []
    with transaction.atomic(), audit_batch(), deferred_inserts():
        for index, item in enumerate(items):
            fields = dict(item)
            key = fields.pop("idempotency_key", "") or ""
            request_hash = fields.pop("request_hash", "") or ""
            try:
                if key in known:
                    if known[key].request_hash != request_hash:
                        raise _key_conflict()
                    slots.append(known[key].case)
                    continue
                if key in first_of_key:
                    slot, first_hash = first_of_key[key]
                    if first_hash != request_hash:
                        raise _key_conflict()
                    slots.append(slot)
                    continue
                staff, pooled, owner = registrar(
                    by,
                    unit=fields.pop("unit", None),
                    unit_concerned=fields.get("unit_concerned"),
                    in_person=fields.pop("in_person", False),
                )
                prepared.append(prepare(by=by, staff=staff, pooled=pooled, owner=owner, **fields))
            except DomainError as exc:
                message = lazy_format(
                    _("Item %(index)d: %(message)s"), {"index": index, "message": exc.message}
                )
                raise type(exc)(message, code=exc.code) from exc
            slot = len(prepared) - 1
            slots.append(slot)
            if key:
                first_of_key[key] = (slot, request_hash)
                new_keys.append((key, request_hash, slot))
        registered = register_prepared(prepared, by=by)
        if new_keys:
            ApiIdempotency.objects.bulk_create(
                ApiIdempotency(user=by, key=key, request_hash=digest, case=registered[slot].case)
                for key, digest, slot in new_keys
            )
    return registered


def _key_conflict() -> DomainError:
    return DomainError(
        _("This Idempotency-Key was already used with a different request."),
        code="idempotency_conflict",
    )
