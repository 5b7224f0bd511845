"""Case numbers (sortable by date) and public tracking codes with their secrets."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date

from xiaoneng.cases.models import CaseCounter

# No 0/O, 1/I/L: codes are read out over the phone.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def next_case_number(day: date) -> str:
    """XN20261128-00042: the day and its sequence. Must run inside the registering transaction."""
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(day=day)
    counter.value += 1
    counter.save(update_fields=["value"])
    return f"XN{day:%Y%m%d}-{counter.value:05d}"


def random_code(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_tracking_code() -> str:
    return random_code(10)


def new_tracking_secret() -> str:
    return random_code(8)


def secret_hash(code: str, secret: str) -> str:
    return hashlib.sha256(f"{code}:{secret.strip().upper()}".encode()).hexdigest()


def secret_matches(code: str, secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(secret_hash(code, secret), stored_hash)
