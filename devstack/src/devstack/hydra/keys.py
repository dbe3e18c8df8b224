"""The RS256 keys behind /.well-known/jwks.json: made on first start, kept in the store.

Hydra publishes its well-known key sets there, by default the ID-token set and the JWT
access-token set (in that order, `WellKnownKeys`); access tokens here are opaque, so the second
key only signs nothing — it is published as Hydra publishes it.
"""

from __future__ import annotations

import uuid
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

from devstack.hydra.store import Store

KEY_KIND = "jwk"
KEY_ID = "hydra.openid.id-token"
JWT_KEY_SET = "hydra.jwt.access-token"


def _load_or_create(store: Store, set_id: str) -> RSAKey:
    stored = store.get(KEY_KIND, set_id)
    if stored is not None:
        return RSAKey.import_key(stored)
    key = RSAKey.generate_key(
        2048,
        parameters={"kid": str(uuid.uuid4()), "use": "sig", "alg": "RS256"},
        private=True,
    )
    store.put(KEY_KIND, set_id, dict(key.as_dict(private=True)))
    return key


class SigningKey:
    """Loads or creates the ID-token key; signs and verifies JWTs with joserfc."""

    def __init__(self, store: Store) -> None:
        self.key = _load_or_create(store, KEY_ID)
        self.access_token_key = _load_or_create(store, JWT_KEY_SET)

    @property
    def kid(self) -> str:
        return str(self.key.kid)

    def public_jwks(self) -> dict[str, Any]:
        return {
            "keys": [
                dict(self.key.as_dict(private=False)),
                dict(self.access_token_key.as_dict(private=False)),
            ]
        }

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode({"alg": "RS256", "kid": self.kid, "typ": "JWT"}, claims, self.key)

    def verify(self, token: str) -> dict[str, Any]:
        """Claims of a JWT we signed (signature only; the caller judges the claims)."""
        return dict(jwt.decode(token, self.key, algorithms=["RS256"]).claims)
