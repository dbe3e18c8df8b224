"""Kratos's CSRF protection (justinas/nosurf as Kratos configures it).

The cookie `csrf_token_<sha256 hex of the public base URL>` holds a random 32-byte token (base64);
forms carry a masked copy (one-time pad + xor, base64) in the `csrf_token` field or the
`X-CSRF-Token` header, so the value differs on every flow while matching the same cookie.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

TOKEN_LENGTH = 32
FIELD = "csrf_token"
HEADER = "x-csrf-token"
MAX_AGE = 365 * 24 * 3600  # nosurf.MaxAge


def cookie_name(public_url: str) -> str:
    return "csrf_token_" + hashlib.sha256(public_url.encode()).hexdigest()


def new_cookie_value() -> str:
    return base64.b64encode(secrets.token_bytes(TOKEN_LENGTH)).decode()


def _decode_cookie(value: str | None) -> bytes | None:
    if not value:
        return None
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == TOKEN_LENGTH else None


def is_valid_cookie(value: str | None) -> bool:
    return _decode_cookie(value) is not None


def mask(cookie_value: str) -> str:
    """A fresh masked form token for the token in the cookie."""
    real = _decode_cookie(cookie_value)
    assert real is not None
    key = secrets.token_bytes(TOKEN_LENGTH)
    return base64.b64encode(key + bytes(a ^ b for a, b in zip(key, real, strict=True))).decode()


def verify(cookie_value: str | None, sent: str | None) -> bool:
    real = _decode_cookie(cookie_value)
    if real is None or not sent:
        return False
    try:
        raw = base64.b64decode(sent, validate=True)
    except (binascii.Error, ValueError):
        return False
    if len(raw) == TOKEN_LENGTH:  # an unmasked token is accepted by nosurf too
        return hmac.compare_digest(raw, real)
    if len(raw) != 2 * TOKEN_LENGTH:
        return False
    key, masked = raw[:TOKEN_LENGTH], raw[TOKEN_LENGTH:]
    return hmac.compare_digest(bytes(a ^ b for a, b in zip(key, masked, strict=True)), real)
