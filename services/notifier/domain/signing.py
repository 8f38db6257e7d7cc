"""Standard Webhooks signatures: `whsec_` secrets and `v1,<base64 HMAC-SHA256>` of
`id.timestamp.body` (https://www.standardwebhooks.com, "Signature scheme")."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Sequence

PREFIX = "whsec_"
SECRET_BYTES = 32  # the spec asks for 24 to 64 random bytes
MIN_BYTES, MAX_BYTES = 24, 64


class BadSecret(ValueError):
    """A secret that is not `whsec_` + base64 of 24 to 64 bytes."""


def new_secret() -> str:
    """A fresh random secret, `whsec_` + base64."""
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def key_of(secret: str) -> bytes:
    """The HMAC key a secret stands for: the bytes of the base64 after `whsec_`."""
    if not secret.startswith(PREFIX):
        raise BadSecret(f"a secret starts with {PREFIX!r}")
    try:
        key = base64.b64decode(secret[len(PREFIX) :], validate=True)
    except binascii.Error:
        raise BadSecret("a secret is base64 after whsec_") from None
    if not MIN_BYTES <= len(key) <= MAX_BYTES:
        raise BadSecret(f"a secret holds {MIN_BYTES} to {MAX_BYTES} bytes, not {len(key)}")
    return key


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """One `v1,` signature of a message under one secret."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key_of(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secrets_: Sequence[str], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers; one signature per secret (several while a secret
    is being rotated), space-separated."""
    signed = " ".join(signature(s, msg_id, timestamp, body) for s in secrets_)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signed,
    }
