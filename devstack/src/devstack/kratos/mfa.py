"""Second factors: TOTP (pyotp) and lookup secrets (backup recovery codes)."""

from __future__ import annotations

import secrets
from typing import Any

import pyotp

from devstack.kratos import clock
from devstack.kratos.store import Doc

LOOKUP_CODE_COUNT = 12


def new_totp_secret() -> str:
    return pyotp.random_base32(32)


def totp_url(secret: str, account: str, issuer: str) -> str:
    return str(pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer))


def totp_matches(url: str, code: str) -> bool:
    totp = pyotp.parse_uri(url)
    assert isinstance(totp, pyotp.TOTP)
    return bool(code) and bool(totp.verify(code.strip(), valid_window=1))


def new_lookup_codes() -> list[dict[str, Any]]:
    # Kratos: 12 codes of 8 lowercase alphanumerics
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return [
        {"code": "".join(secrets.choice(alphabet) for _ in range(8))}
        for _ in range(LOOKUP_CODE_COUNT)
    ]


def use_lookup_code(identity: Doc, code: str) -> str:
    """Mark a backup code used; returns "ok", "used" or "invalid"."""
    lookup = identity["credentials"].get("lookup_secret")
    if not lookup:
        return "invalid"
    for entry in lookup["config"].get("recovery_codes", []):
        if secrets.compare_digest(entry["code"], code.strip()):
            if entry.get("used_at"):
                return "used"
            entry["used_at"] = clock.fmt(clock.now())
            return "ok"
    return "invalid"
