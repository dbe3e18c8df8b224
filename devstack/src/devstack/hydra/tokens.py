"""Authorization codes, opaque access and refresh tokens, and signed ID tokens.

Tokens look like Hydra's (`ory_ac_`, `ory_at_`, `ory_rt_` prefixes) and are stored only as
SHA-256 digests, so a leaked state database holds no usable token.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Any

from authlib.oidc.core.util import create_half_hash

from devstack import clock
from devstack.hydra.config import HydraConfig
from devstack.hydra.keys import SigningKey
from devstack.hydra.store import Store

CODE = "code"
TOKEN = "token"  # noqa: S105
OFFLINE_SCOPES = ("offline", "offline_access")
ACCESS_TOKEN = "access_token"  # noqa: S105 (a token_use value, not a secret)
REFRESH_TOKEN = "refresh_token"  # noqa: S105


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(prefix: str) -> str:
    return f"{prefix}{secrets.token_urlsafe(32)}.{secrets.token_urlsafe(24)}"


class Tokens:
    def __init__(self, store: Store, config: HydraConfig, key: SigningKey) -> None:
        self.store = store
        self.config = config
        self.key = key

    # --- authorization codes -------------------------------------------------------------
    def issue_code(self, grant: dict[str, Any]) -> str:
        """`grant` holds what the token endpoint needs: client, subject, scopes, PKCE, session."""
        code = new_token("ory_ac_")
        record = dict(grant, used=False, expires_at=clock.time() + self.config.ttls.auth_code)
        self.store.put(CODE, digest(code), record, client_id=grant["client_id"])
        return code

    def find_code(self, code: str) -> dict[str, Any] | None:
        return self.store.get(CODE, digest(code))

    def mark_code_used(self, code: str, record: dict[str, Any]) -> None:
        record["used"] = True
        self.store.put(CODE, digest(code), record, client_id=record["client_id"])

    # --- access and refresh tokens -------------------------------------------------------
    def issue(self, grant: dict[str, Any], *, refresh: bool, id_token: bool) -> dict[str, Any]:
        """Mint the token response for a grant (a code's or refresh token's record, or a client)."""
        now = int(clock.time())
        ttl = self.config.ttls.access_token
        access = new_token("ory_at_")
        base = {
            "request_id": grant["request_id"],
            "client_id": grant["client_id"],
            "subject": grant["subject"],
            "scope": list(grant["scope"]),
            "audience": list(grant.get("audience", [])),
            "ext": dict(grant.get("access_token_session") or {}),
            "id_token_session": dict(grant.get("id_token_session") or {}),
            "consent_id": grant.get("consent_id"),
            "sid": grant.get("sid"),
            "auth_time": grant.get("auth_time"),
            "requested_at": grant.get("requested_at", now),
            "acr": grant.get("acr", ""),
            "acr_values": list(grant.get("acr_values") or []),
            "amr": list(grant.get("amr") or []),
            "active": True,
            "iat": now,
        }
        self.store.put(
            TOKEN,
            digest(access),
            dict(base, token_use="access_token", exp=now + ttl),  # noqa: S106
            subject=grant["subject"],
            client_id=grant["client_id"],
        )
        body: dict[str, Any] = {
            "access_token": access,
            "expires_in": ttl,
            "scope": " ".join(grant["scope"]),
            "token_type": "bearer",
        }
        if refresh:
            token = new_token("ory_rt_")
            self.store.put(
                TOKEN,
                digest(token),
                dict(base, token_use="refresh_token", exp=now + self.config.ttls.refresh_token),  # noqa: S106
                subject=grant["subject"],
                client_id=grant["client_id"],
            )
            body["refresh_token"] = token
        if id_token:
            body["id_token"] = self.id_token(grant, access_token=access)
        return body

    def id_token(self, grant: dict[str, Any], *, access_token: str | None = None) -> str:
        now = int(clock.time())
        # Claims from consent first, so the protected claims below always win (as in Hydra).
        claims: dict[str, Any] = dict(grant.get("id_token_session") or {})
        claims.update(
            {
                "iss": self.config.issuer_id(),
                "sub": grant["subject"],
                "aud": [grant["client_id"]],
                "iat": now,
                "exp": now + self.config.ttls.id_token,
                "jti": str(uuid.uuid4()),
                "rat": grant.get("requested_at", now),
                "auth_time": grant.get("auth_time") or now,
            }
        )
        # fosite: no acr unless one was given, or "0" (least confidence) when acr_values asked.
        if grant.get("acr"):
            claims["acr"] = grant["acr"]
        elif grant.get("acr_values"):
            claims["acr"] = "0"
        if grant.get("amr"):
            claims["amr"] = list(grant["amr"])
        if grant.get("sid"):
            claims["sid"] = grant["sid"]
        if grant.get("nonce"):
            claims["nonce"] = grant["nonce"]
        if access_token:
            claims["at_hash"] = create_half_hash(access_token, "RS256").decode()
        return self.key.sign(claims)

    def forget_expired(self) -> None:
        """Like `hydra janitor`: expired tokens and codes are gone for good."""
        now = clock.time()
        self.store.delete_older(TOKEN, "exp", now)
        self.store.delete_older(CODE, "expires_at", now)

    def find(self, token: str) -> dict[str, Any] | None:
        return self.store.get(TOKEN, digest(token))

    def active(self, token: str, token_use: str | None = None) -> dict[str, Any] | None:
        record = self.find(token)
        if record is None or not record["active"] or record["exp"] <= clock.time():
            return None
        if token_use is not None and record["token_use"] != token_use:
            return None
        return record

    def revoke_request(self, request_id: str) -> None:
        """Revoke every token minted for one authorization (Hydra revokes by request id)."""
        for token_id, record in self.store.find_by_field(TOKEN, "request_id", request_id):
            if record["active"]:
                record["active"] = False
                self.store.put(
                    TOKEN,
                    token_id,
                    record,
                    subject=record["subject"],
                    client_id=record["client_id"],
                )

    def revoke_where(self, *, subject: str, client_id: str | None = None) -> None:
        for token_id, record in self.store.find(TOKEN, subject=subject, client_id=client_id):
            if record["active"]:
                record["active"] = False
                self.store.put(
                    TOKEN,
                    token_id,
                    record,
                    subject=record["subject"],
                    client_id=record["client_id"],
                )

    def delete_access_tokens(self, client_id: str) -> None:
        """Hydra's DeleteAccessTokens: every access token of a client (refresh tokens stay)."""
        for token_id, record in self.store.find(TOKEN, client_id=client_id):
            if record["token_use"] == ACCESS_TOKEN:
                self.store.delete(TOKEN, token_id)

    def introspection(self, record: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "active": True,
            "client_id": record["client_id"],
            "sub": record["subject"],
            "scope": " ".join(record["scope"]),
            "aud": record["audience"],
            "exp": record["exp"],
            "iat": record["iat"],
            "nbf": record["iat"],
            "iss": self.config.issuer_id(),
            "token_type": "Bearer",
            "token_use": record["token_use"],
        }
        if record.get("ext"):
            body["ext"] = record["ext"]
        return body
