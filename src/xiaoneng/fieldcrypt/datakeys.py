"""Personal-data keys: field encryption (AES-256-GCM) and the keyed blind index (HMAC-SHA256).

The key material lives outside the database: ``XIAONENG_DATA_KEYS`` ("id:base64key,...", the
first one current) or ``XIAONENG_DATA_KEY_FILE`` (the same entries, one a line or comma
separated). Outside production mode, without either, a key is derived from ``SECRET_KEY``
with a warning; in production mode there is no such fallback (``xiaoneng.E010``).

Each master key gives two subkeys through HKDF, derived once per process: one for AES-GCM and
one for the blind index, so the index never uses the encryption key itself.

A stored ciphertext reads ``$xn$<key id>$<base64url(version byte | nonce | ciphertext+tag)>``.
The key id stays readable so that rotation can find the rows still under an old key with
plain SQL; the associated data binds the value to its table and column (and to the header),
so a ciphertext copied into another column does not decrypt. A blind index reads
``<key id>$<hex>``: a truncated HMAC of the normalised value and its kind.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("xiaoneng.security")

PREFIX = "$xn$"
VERSION_AES_GCM = 1
NONCE_BYTES = 12
INDEX_BYTES = 12  # 96 bits: no collision among a city's phones, less to compare than a full MAC
DEV_KEY_ID = "dev"
_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,16}$")
_ENC_INFO = b"xiaoneng/personal-data/aes-256-gcm/v1"
_INDEX_INFO = b"xiaoneng/personal-data/blind-index/v1"


class DataKeyError(ValueError):
    """A stored value that no configured key opens (wrong key, damaged or moved ciphertext)."""


@dataclass(frozen=True)
class DataKey:
    key_id: str
    aead: AESGCM
    index_key: bytes


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, DataKey]
    current_id: str
    derived_from_secret_key: bool

    @property
    def current(self) -> DataKey:
        return self.keys[self.current_id]


def _subkey(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


def _data_key(key_id: str, master: bytes) -> DataKey:
    return DataKey(
        key_id=key_id,
        aead=AESGCM(_subkey(master, _ENC_INFO)),
        index_key=_subkey(master, _INDEX_INFO),
    )


def parse_keys(text: str, *, source: str) -> list[tuple[str, bytes]]:
    """``id:base64key`` entries separated by commas or new lines; each key 32 bytes."""
    entries = []
    for raw in re.split(r"[,\n]", text):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        key_id, sep, encoded = entry.partition(":")
        key_id = key_id.strip()
        if not sep or not _KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                f"{source}: each entry must read id:base64key, the id 1-16 letters, digits, "
                "'.', '_' or '-'."
            )
        try:
            material = base64.b64decode(encoded.strip() + "==", altchars=b"-_", validate=False)
        except (binascii.Error, ValueError):
            material = b""
        if len(material) != 32:
            raise ImproperlyConfigured(
                f"{source}: key {key_id!r} must be 32 random bytes in base64 "
                "(xiaoneng data-keys generate prints one)."
            )
        if key_id in {k for k, _m in entries}:
            raise ImproperlyConfigured(f"{source}: key id {key_id!r} appears twice.")
        entries.append((key_id, material))
    return entries


def configured_keys() -> list[tuple[str, bytes]]:
    """The keys the operator configured, current first; empty when none is."""
    text = getattr(settings, "XIAONENG_DATA_KEYS", "") or ""
    if text.strip():
        return parse_keys(text, source="XIAONENG_DATA_KEYS")
    path = getattr(settings, "XIAONENG_DATA_KEY_FILE", "") or ""
    if path:
        try:
            content = Path(path).read_text()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"XIAONENG_DATA_KEY_FILE cannot be read ({exc.strerror})."
            ) from None
        return parse_keys(content, source="XIAONENG_DATA_KEY_FILE")
    return []


def _secret_key_material() -> bytes:
    return hashlib.sha256(b"xiaoneng/dev-data-key\0" + settings.SECRET_KEY.encode()).digest()


@cache
def keyring() -> Keyring:
    """Built once per process (keys derived once); ``keyring.cache_clear()`` after a change."""
    entries = configured_keys()
    keys = {key_id: _data_key(key_id, material) for key_id, material in entries}
    # Rows written before keys were configured stay readable until `data-keys rotate` moves
    # them; in production SECRET_KEY never becomes the *current* key.
    keys.setdefault(DEV_KEY_ID, _data_key(DEV_KEY_ID, _secret_key_material()))
    if entries:
        return Keyring(keys=keys, current_id=entries[0][0], derived_from_secret_key=False)
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "XIAONENG_DATA_KEYS or XIAONENG_DATA_KEY_FILE must be set in production mode "
            "(personal data is encrypted with it; see docs/security.md)."
        )
    logger.warning(
        "No personal-data key configured: using one derived from SECRET_KEY. "
        "Set XIAONENG_DATA_KEYS before real data arrives."
    )
    return Keyring(keys=keys, current_id=DEV_KEY_ID, derived_from_secret_key=True)


def _aad(key_id: str, context: str) -> bytes:
    return f"{PREFIX}{key_id}${VERSION_AES_GCM}${context}".encode()


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX)


def key_id_of(value: str) -> str:
    """The key id a stored value is under; "" for clear text (not yet migrated)."""
    if not is_encrypted(value):
        return ""
    return value[len(PREFIX) :].partition("$")[0]


def encrypt(plaintext: str, *, context: str) -> str:
    """One AES-GCM operation with a fresh random nonce; "" stays "" (no data, no ciphertext)."""
    if not plaintext:
        return plaintext
    key = keyring().current
    nonce = os.urandom(NONCE_BYTES)
    sealed = key.aead.encrypt(nonce, plaintext.encode(), _aad(key.key_id, context))
    blob = bytes([VERSION_AES_GCM]) + nonce + sealed
    return f"{PREFIX}{key.key_id}${base64.urlsafe_b64encode(blob).decode().rstrip('=')}"


def decrypt(stored: str, *, context: str) -> str:
    """The clear value. Clear text written before encryption came in is returned as it is."""
    if not stored or not is_encrypted(stored):
        return stored
    key_id, _sep, body = stored[len(PREFIX) :].partition("$")
    key = keyring().keys.get(key_id)
    if key is None:
        raise DataKeyError(f"No key {key_id!r} is configured to read {context}.")
    try:
        blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise DataKeyError(f"Damaged ciphertext in {context}.") from None
    if len(blob) < 1 + NONCE_BYTES + 16 or blob[0] != VERSION_AES_GCM:
        raise DataKeyError(f"Unknown ciphertext version in {context}.")
    nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return key.aead.decrypt(nonce, sealed, _aad(key_id, context)).decode()
    except InvalidTag:
        raise DataKeyError(f"A value in {context} does not open with key {key_id!r}.") from None


_NOT_DIGITS = re.compile(r"\D")
_SEPARATORS = re.compile(r"[\s\-–—()（）.]")


def normalise_phone(phone: str) -> str:
    """Digits only, without the +86 / 0086 country prefix of a mainland mobile number."""
    digits = _NOT_DIGITS.sub("", phone or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix) :]
    return digits


def normalise_id_number(number: str) -> str:
    return _SEPARATORS.sub("", number or "").upper()


NORMALISERS = {"phone": normalise_phone, "id_number": normalise_id_number}


def _index_with(key: DataKey, kind: str, normalised: str) -> str:
    mac = hmac.new(key.index_key, f"{kind}\0{normalised}".encode(), hashlib.sha256)
    return f"{key.key_id}${mac.hexdigest()[: INDEX_BYTES * 2]}"


def blind_index(value: str, *, kind: str) -> str:
    """The index of a value under the current key; "" when there is nothing to index."""
    normalised = NORMALISERS[kind](value)
    if not normalised:
        return ""
    return _index_with(keyring().current, kind, normalised)


def blind_index_candidates(value: str, *, kind: str) -> list[str]:
    """The value's index under every configured key: rows not yet rotated still match."""
    normalised = NORMALISERS[kind](value)
    if not normalised:
        return []
    ring = keyring()
    return [_index_with(key, kind, normalised) for key in ring.keys.values()]


def generate_key_entry(key_id: str) -> str:
    if not _KEY_ID.match(key_id):
        raise ValueError(key_id)
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"


def key_check_value(key_id: str) -> str:
    """A short value that tells whether a key is the same one, without revealing it."""
    key = keyring().keys[key_id]
    return hmac.new(key.index_key, b"xiaoneng key check", hashlib.sha256).hexdigest()[:12]
