"""The RS256 key behind /.well-known/jwks.json: made on first start, kept in the store."""

from __future__ import annotations

import uuid
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

from devstack.hydra.store import Store

KEY_KIND = "jwk"
KEY_ID = "hydra.openid.id-token"


class SigningKey:
    """Loads or creates the ID-token key; signs and verifies JWTs with joserfc."""

    def __init__(self, store: Store) -> None:
        stored = store.get(KEY_KIND, KEY_ID)
        if stored is None:
            key = RSAKey.generate_key(
                2048,
                parameters={"kid": str(uuid.uuid4()), "use": "sig", "alg": "RS256"},
                private=True,
            )
            store.put(KEY_KIND, KEY_ID, dict(key.as_dict(private=True)))
        else:
            key = RSAKey.import_key(stored)
        self.key = key

    @property
    def kid(self) -> str:
        return str(self.key.kid)

    def public_jwks(self) -> dict[str, Any]:
        return {"keys": [dict(self.key.as_dict(private=False))]}

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode({"alg": "RS256", "kid": self.kid, "typ": "JWT"}, claims, self.key)

    def verify(self, token: str) -> dict[str, Any]:
        """Claims of a JWT we signed (signature only; the caller judges the claims)."""
        return dict(jwt.decode(token, self.key, algorithms=["RS256"]).claims)
