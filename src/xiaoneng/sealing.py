"""One-time secrets that must wait somewhere: masked in every readable copy, sealed otherwise.

A message such as the registration SMS carries a one-time secret (the tracking secret) that the
requester needs and nobody else may read. The outbox row is written before the message leaves
(the relay sends it later, with retries), so the secret has to wait: it waits in the row's
``sealed`` column, encrypted with AES-GCM under a key derived from ``SECRET_KEY`` by HKDF-SHA256,
and the column is emptied as soon as the message was delivered or failed for good. Every
readable copy (the body, the inbox, the admin, the recorded SMS, logs) shows ``******``. The
staff receipt keeps the secret in the session the same way until the receipt is printed.

``Secret`` marks a parameter as secret. Its ``str()`` is the mask, so a secret that strays into
a log call, an audit summary or a template shows as ``******``; only ``reveal()`` gives the value.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterable, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

MASK = "******"
_VERSION = "v1"
_INFO = b"xiaoneng.sealed.v1"


class Secret:
    """A message parameter that is shown as ``******`` everywhere but in the message sent."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = str(value)

    def reveal(self) -> str:
        return self._value

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"


class SealError(Exception):
    """The sealed parameters cannot be opened (``SECRET_KEY`` changed, or the data is damaged)."""


def _key(secret_key: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO)
    return hkdf.derive(secret_key.encode("utf-8"))


def _keys() -> Iterable[bytes]:
    yield _key(settings.SECRET_KEY)
    # After a SECRET_KEY rotation the messages sealed under the old key still go out.
    for fallback in getattr(settings, "SECRET_KEY_FALLBACKS", ()):
        yield _key(fallback)


def seal(values: Mapping[str, str], *, purpose: str = "notify") -> str:
    """Encrypt ``values`` (name → clear value); "" when there is nothing. ``purpose`` binds the
    result to its use: it opens only with the same purpose."""
    if not values:
        return ""
    nonce = os.urandom(12)
    plain = json.dumps(dict(values), ensure_ascii=False).encode("utf-8")
    blob = nonce + AESGCM(_key(settings.SECRET_KEY)).encrypt(nonce, plain, purpose.encode())
    return f"{_VERSION}:{base64.b64encode(blob).decode('ascii')}"


def unseal(token: str, *, purpose: str = "notify") -> dict[str, str]:
    """The clear values of ``seal``; raises ``SealError`` if no configured key opens them."""
    if not token:
        return {}
    version, _sep, data = token.partition(":")
    if version != _VERSION:
        raise SealError("unknown sealed-parameter format")
    try:
        blob = base64.b64decode(data, validate=True)
    except ValueError:
        raise SealError("damaged sealed parameters") from None
    nonce, cipher = blob[:12], blob[12:]
    if len(blob) < 13:
        raise SealError("damaged sealed parameters")
    for key in _keys():
        try:
            plain = AESGCM(key).decrypt(nonce, cipher, purpose.encode())
        except InvalidTag:
            continue
        return dict(json.loads(plain.decode("utf-8")))
    raise SealError("the sealed parameters cannot be opened with the configured SECRET_KEY")


def split_params(params: Mapping[str, object]) -> tuple[dict[str, str], dict[str, str]]:
    """(public, secret): the parameters as strings, secrets unwrapped into the second dict."""
    public: dict[str, str] = {}
    secret: dict[str, str] = {}
    for name, value in params.items():
        if isinstance(value, Secret):
            secret[name] = value.reveal()
        else:
            public[name] = str(value)
    return public, secret


def mask_values(text: str, values: Iterable[str]) -> str:
    """``text`` with every occurrence of the given clear values replaced by the mask."""
    for value in values:
        if value:
            text = text.replace(value, MASK)
    return text
