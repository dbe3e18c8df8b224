"""The OpenID Connect claims a Kratos identity gives an ID token.

dashboard-api computes them in its consent decision (it reads the identity anyway, to refuse an
inactive person), and login-service computes them itself from Kratos when a dashboard-api of an
earlier version leaves them out: one definition for both.
"""

from __future__ import annotations

from typing import Any

from stackspin_clients.models.kratos import Identity


def _display_name(value: Any) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict):
        parts = [str(value.get(k) or "") for k in ("first", "last")]
        joined = " ".join(p for p in parts if p)
        return joined or None
    return None


def identity_claims(identity: Identity) -> dict[str, Any]:
    """``email``, ``email_verified``, ``name``, ``preferred_username``: those the traits hold."""
    traits = identity.traits
    email = traits.get("email")
    claims: dict[str, Any] = {}
    if isinstance(email, str) and email:
        claims["email"] = email
        claims["email_verified"] = any(
            a.value == email and a.verified for a in identity.verifiable_addresses or []
        )
    name = _display_name(traits.get("name"))
    if name:
        claims["name"] = name
    username = traits.get("username")
    if isinstance(username, str) and username:
        claims["preferred_username"] = username
    return claims
