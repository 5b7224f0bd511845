"""The audit keys, which never live in the database.

The chain MAC key comes from ``XIAONENG_AUDIT_KEY`` (comma-separated) or the file named by
``XIAONENG_AUDIT_KEY_FILE`` (one key a line), the current key first and retired keys after it,
each as hex or base64 of at least 32 bytes. A key is named by a short fingerprint, which every
row records, so old rows keep verifying after a rotation as long as their key stays listed.

Outside production a key is derived from SECRET_KEY when none is set; the system check warns
about it, because in embedded mode SECRET_KEY sits in the data folder next to the database.

The checkpoint signing key is an Ed25519 private key in PEM (``XIAONENG_AUDIT_SIGNING_KEY_FILE``);
verifying needs only its public half.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MIN_KEY_BYTES = 32
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_DERIVE_LABEL = b"xiaoneng audit chain key (development only)"


@dataclass(frozen=True)
class AuditKey:
    key_id: str
    secret: bytes


@dataclass(frozen=True)
class Keyring:
    keys: tuple[AuditKey, ...]  # The current key first.
    derived: bool  # The current key comes from SECRET_KEY (development and tests only).

    @property
    def current(self) -> AuditKey:
        return self.keys[0]

    def secret(self, key_id: str) -> bytes | None:
        for key in self.keys:
            if key.key_id == key_id:
                return key.secret
        return None


def key_fingerprint(secret: bytes) -> str:
    """A short public name for a key; it reveals nothing usable about the key."""
    return hashlib.sha256(b"xiaoneng-audit-key-id:" + secret).hexdigest()[:16]


def parse_key(text: str, *, source: str) -> bytes:
    value = text.strip()
    try:
        if _HEX.match(value) and len(value) % 2 == 0:
            secret = bytes.fromhex(value)
        else:
            padded = value + "=" * (-len(value) % 4)
            secret = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (ValueError, binascii.Error):
        raise ImproperlyConfigured(f"{source}: an audit key must be hex or base64.") from None
    if len(secret) < MIN_KEY_BYTES:
        raise ImproperlyConfigured(
            f"{source}: an audit key must hold at least {MIN_KEY_BYTES} random bytes "
            "(make one with `xiaoneng audit keygen`)."
        )
    return secret


def _configured_secrets() -> list[bytes]:
    path = settings.XIAONENG_AUDIT_KEY_FILE
    if path:
        try:
            lines = Path(path).read_text().splitlines()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"XIAONENG_AUDIT_KEY_FILE cannot be read: {exc.strerror}."
            ) from None
        texts = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
        source = "XIAONENG_AUDIT_KEY_FILE"
    else:
        texts = [part for part in settings.XIAONENG_AUDIT_KEY.split(",") if part.strip()]
        source = "XIAONENG_AUDIT_KEY"
    return [parse_key(text, source=source) for text in texts]


_cache: dict[tuple, Keyring] = {}


def audit_keyring() -> Keyring:
    """The keys to seal and verify rows with; cached per configuration (one lookup per write)."""
    marker = (
        settings.XIAONENG_AUDIT_KEY,
        settings.XIAONENG_AUDIT_KEY_FILE,
        settings.SECRET_KEY,
        settings.PRODUCTION,
    )
    keyring = _cache.get(marker)
    if keyring is None:
        keyring = _cache[marker] = _load_keyring()
    return keyring


def _load_keyring() -> Keyring:
    secrets = _configured_secrets()
    if settings.PRODUCTION:
        if not secrets:
            raise ImproperlyConfigured(
                "XIAONENG_AUDIT_KEY or XIAONENG_AUDIT_KEY_FILE must be set in production mode."
            )
        return Keyring(keys=tuple(AuditKey(key_fingerprint(s), s) for s in secrets), derived=False)
    # Outside production the derived key stays listed last, so rows written before a real key
    # was configured keep verifying.
    derived = hmac.new(settings.SECRET_KEY.encode(), _DERIVE_LABEL, hashlib.sha256).digest()
    if derived not in secrets:
        secrets.append(derived)
    keys = tuple(AuditKey(key_fingerprint(s), s) for s in secrets)
    return Keyring(keys=keys, derived=secrets[0] == derived)


def new_audit_key() -> str:
    """A fresh chain key, base64, for XIAONENG_AUDIT_KEY or the key file."""
    import secrets

    return base64.b64encode(secrets.token_bytes(MIN_KEY_BYTES)).decode()


# Checkpoint signing keys.


def signer_fingerprint(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_signing_key(path: str | Path) -> Ed25519PrivateKey:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        message = f"The signing key {path} cannot be read: {exc.strerror}."
        raise ImproperlyConfigured(message) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(f"{path} is not an unencrypted PEM private key.") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path} is not an Ed25519 key.")
    return key


def load_verify_key(path: str | Path) -> Ed25519PublicKey:
    """A public key in PEM, or the public half of a private key file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImproperlyConfigured(f"The key {path} cannot be read: {exc.strerror}.") from None
    if b"PRIVATE KEY" in data:
        return load_signing_key(path).public_key()
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(f"{path} is not a PEM public key.") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ImproperlyConfigured(f"{path} is not an Ed25519 key.")
    return key


def configured_signing_key() -> Ed25519PrivateKey | None:
    path = settings.XIAONENG_AUDIT_SIGNING_KEY_FILE
    return load_signing_key(path) if path else None


def configured_verify_key() -> Ed25519PublicKey | None:
    if settings.XIAONENG_AUDIT_VERIFY_KEY_FILE:
        return load_verify_key(settings.XIAONENG_AUDIT_VERIFY_KEY_FILE)
    signing = configured_signing_key()
    return signing.public_key() if signing else None


def signing_key_pair_write(path: Path) -> Ed25519PublicKey:
    """Write a new private key at ``path`` (mode 600) and its public key at ``path.pub``."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # Never overwrite a key that may still be needed; readable by its owner only from the start.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private)
    Path(f"{path}.pub").write_bytes(public)
    return key.public_key()
