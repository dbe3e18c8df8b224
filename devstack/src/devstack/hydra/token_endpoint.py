"""POST /oauth2/token, POST /oauth2/revoke and /userinfo, with fosite's client authentication."""

from __future__ import annotations

import base64
import binascii
import secrets
import uuid
from typing import Any
from urllib.parse import unquote_plus

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from devstack import clock
from devstack.hydra.errors import NO_STORE, OAuthError
from devstack.hydra.registry import Registry
from devstack.hydra.tokens import ACCESS_TOKEN, OFFLINE_SCOPES, REFRESH_TOKEN

GRANT_TYPES = ("authorization_code", "refresh_token", "client_credentials")
# fosite's ErrInvalidRequest default hint, sent when no more particular one is given.
INVALID_REQUEST_HINT = (
    "Make sure that the various parameters are correct, be aware of case sensitivity and trim "
    "your parameters. Make sure that the client you are using has exactly whitelisted the "
    "redirect_uri you specified."
)


async def form_of(request: Request) -> dict[str, str]:
    return {k: str(v) for k, v in (await request.form()).items()}


def bearer_challenge(error: str, description: str) -> str:
    return f'Bearer error="{error}",error_description="{description}"'


def split(value: str) -> list[str]:
    return [part for part in value.split(" ") if part]


class TokenEndpoints:
    def __init__(self, registry: Registry) -> None:
        self.r = registry

    # --- client authentication (fosite's AuthenticateClient) -----------------------------
    def authenticate_client(self, request: Request, form: dict[str, str]) -> dict[str, Any]:
        header = request.headers.get("authorization", "")
        secret: str | None
        if header.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                raise OAuthError(
                    "invalid_request",
                    "Client credentials missing or malformed in both HTTP Authorization header "
                    "and HTTP POST body.",
                ) from None
            raw_id, _, raw_secret = decoded.partition(":")
            client_id, secret = unquote_plus(raw_id), unquote_plus(raw_secret)
            method = "client_secret_basic"
        elif form.get("client_secret"):
            client_id, secret, method = (
                form.get("client_id", ""),
                form["client_secret"],
                "client_secret_post",
            )
        else:
            client_id, secret, method = form.get("client_id", ""), None, "none"
        if not client_id:
            raise OAuthError(
                "invalid_request",
                "Client credentials missing or malformed in both HTTP Authorization header and "
                "HTTP POST body.",
            )
        client = self.r.clients.get(client_id)
        if client is None:
            raise OAuthError("invalid_client")
        registered = client["token_endpoint_auth_method"]
        if registered != method:
            raise OAuthError(
                "invalid_client",
                f"The OAuth 2.0 Client supports client authentication method '{registered}', "
                f"but method '{method}' was requested. You must configure the OAuth 2.0 client's "
                f"'token_endpoint_auth_method' value to accept '{method}'.",
            )
        if method != "none" and not self.r.clients.authenticate_secret(client, secret or ""):
            raise OAuthError("invalid_client")
        return client

    # --- /oauth2/token ---------------------------------------------------------------------
    async def token(self, request: Request) -> Response:
        form = await form_of(request)
        try:
            grant_type = form.get("grant_type", "")
            # fosite's NewAccessRequest: a missing grant type, or one no handler takes, is a
            # bare invalid_request — before (and whatever) the client authentication.
            if not grant_type:
                raise OAuthError("invalid_request", "Request parameter 'grant_type' is missing")
            if grant_type not in GRANT_TYPES:
                raise OAuthError("invalid_request", INVALID_REQUEST_HINT)
            client = self.authenticate_client(request, form)
            if grant_type not in (client["grant_types"] or ["authorization_code"]):
                raise OAuthError(
                    "unauthorized_client",
                    f"The OAuth 2.0 Client is not allowed to use authorization grant "
                    f"'{grant_type}'.",
                )
            if grant_type == "authorization_code":
                body = self.exchange_code(client, form)
            elif grant_type == "refresh_token":
                body = self.exchange_refresh(client, form)
            else:
                body = self.client_credentials(client, form)
        except OAuthError as err:
            return err.response(headers=NO_STORE)
        return JSONResponse(body, headers=NO_STORE)

    @staticmethod
    def _offline(client: dict[str, Any], scope: list[str]) -> bool:
        allowed = client["grant_types"] or ["authorization_code"]
        return "refresh_token" in allowed and any(s in scope for s in OFFLINE_SCOPES)

    def exchange_code(self, client: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
        tokens = self.r.tokens
        code = form.get("code", "")
        replayed = None
        with self.r.store.transaction():
            record = tokens.find_code(code) if code else None
            if record is None:
                raise OAuthError("invalid_grant")
            if record["used"]:
                replayed = record["request_id"]
            else:
                self._check_code(record, client, form)
                tokens.mark_code_used(code, record)
        if replayed is not None:
            # RFC 6749 §4.1.2: a replayed code revokes what it produced.
            tokens.revoke_request(replayed)
            raise OAuthError("invalid_grant", "The authorization code has already been used.")
        return tokens.issue(
            record,
            refresh=self._offline(client, record["scope"]),
            id_token="openid" in record["scope"],
        )

    def _check_code(
        self, record: dict[str, Any], client: dict[str, Any], form: dict[str, str]
    ) -> None:
        if record["expires_at"] < clock.time():
            raise OAuthError("invalid_grant", "The authorization code has expired.")
        if record["client_id"] != client["client_id"]:
            raise OAuthError(
                "invalid_grant",
                "The OAuth 2.0 Client ID from this request does not match the one from the "
                "authorize request.",
            )
        wanted = record["redirect_uri"]
        if wanted is not None and form.get("redirect_uri") != wanted:
            raise OAuthError(
                "invalid_grant",
                "The 'redirect_uri' from this request does not match the one from the "
                "authorize request.",
            )
        self._check_pkce(record, form.get("code_verifier", ""))

    @staticmethod
    def _check_pkce(record: dict[str, Any], verifier: str) -> None:
        if not record["code_challenge"]:
            if verifier:
                raise OAuthError(
                    "invalid_grant",
                    "The PKCE code verifier was provided but the code challenge was absent from "
                    "the authorization request.",
                )
            return
        if len(verifier) < 43:
            raise OAuthError(
                "invalid_grant", "The PKCE code verifier must be at least 43 characters."
            )
        if len(verifier) > 128:
            raise OAuthError(
                "invalid_grant", "The PKCE code verifier can not be longer than 128 characters."
            )
        expected = create_s256_code_challenge(verifier)
        if not secrets.compare_digest(expected, record["code_challenge"]):
            raise OAuthError(
                "invalid_grant", "The PKCE code challenge did not match the code verifier."
            )

    def exchange_refresh(self, client: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
        tokens = self.r.tokens
        token = form.get("refresh_token", "")
        reused = None
        with self.r.store.transaction():
            record = tokens.find(token) if token else None
            if record is None or record["token_use"] != REFRESH_TOKEN:
                raise OAuthError("invalid_grant")
            if not record["active"]:
                reused = record["request_id"]
            else:
                self._check_refresh(record, client)
                # Rotation: the old pair goes, the new pair keeps the same grant (request) id.
                tokens.revoke_request(record["request_id"])
        if reused is not None:
            # A rotated-out token used again: revoke the whole chain (fosite does the same).
            tokens.revoke_request(reused)
            raise OAuthError("invalid_grant", "The refresh token has been revoked or used.")
        grant = dict(record, access_token_session=record.get("ext") or {})
        return tokens.issue(grant, refresh=True, id_token="openid" in record["scope"])

    @staticmethod
    def _check_refresh(record: dict[str, Any], client: dict[str, Any]) -> None:
        if record["exp"] <= clock.time():
            raise OAuthError("invalid_grant", "The refresh token expired.")
        if record["client_id"] != client["client_id"]:
            raise OAuthError(
                "invalid_grant",
                "The OAuth 2.0 Client ID from this request does not match the ID during the "
                "initial token issuance.",
            )
        if not any(s in record["scope"] for s in OFFLINE_SCOPES):
            raise OAuthError(
                "scope_not_granted",
                "The OAuth 2.0 Client was not granted scope offline and may thus not perform "
                "the 'refresh_token' authorization grant.",
            )

    def client_credentials(self, client: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
        if client["token_endpoint_auth_method"] == "none":  # noqa: S105
            raise OAuthError(
                "invalid_grant",
                "The client is public and thus not allowed to use grant type client_credentials.",
            )
        scope = split(form.get("scope", ""))
        for s in scope:
            if s not in split(client["scope"]):
                raise OAuthError(
                    "invalid_scope", f"The OAuth 2.0 Client is not allowed to request scope '{s}'."
                )
        audience = split(form.get("audience", ""))
        for a in audience:
            if a not in client["audience"]:
                raise OAuthError(
                    "invalid_request",
                    f"Requested audience '{a}' has not been whitelisted by the OAuth 2.0 Client.",
                )
        grant = {
            "request_id": uuid.uuid4().hex,
            "client_id": client["client_id"],
            "subject": client["client_id"],
            "scope": scope,
            "audience": audience,
        }
        return self.r.tokens.issue(grant, refresh=False, id_token=False)

    # --- /userinfo -------------------------------------------------------------------------
    async def userinfo(self, request: Request) -> Response:
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if not token and request.method == "POST":
            token = (await form_of(request)).get("access_token", "")
        record = self.r.tokens.find(token) if token else None
        err: OAuthError | None = None
        if record is None or not record["active"]:
            err = OAuthError(
                "request_unauthorized",
                "Check that you provided valid credentials for the right format.",
            )
        elif record["exp"] <= clock.time():
            err = OAuthError("invalid_token", "Access token expired.")
        elif record["token_use"] != ACCESS_TOKEN:
            description = "Only access tokens are allowed in the authorization header."
            return JSONResponse(
                {"error": "error", "error_description": description},
                status_code=401,
                headers={"WWW-Authenticate": bearer_challenge("invalid_token", description)},
            )
        if err is not None or record is None:
            assert err is not None
            challenge = bearer_challenge(err.error, err.description)
            return err.response(headers={"WWW-Authenticate": challenge})
        # Hydra answers the ID token's claims without the per-token ones.
        claims: dict[str, Any] = dict(record["id_token_session"])
        claims.update(
            {
                "sub": record["subject"],
                "iss": self.r.config.issuer_id(),
                "aud": [record["client_id"]],
                "iat": record["iat"],
                "rat": record["requested_at"],
            }
        )
        if record.get("auth_time"):
            claims["auth_time"] = record["auth_time"]
        if record.get("acr"):
            claims["acr"] = record["acr"]
        if record.get("amr"):
            claims["amr"] = record["amr"]
        return JSONResponse(claims)

    # --- /oauth2/revoke --------------------------------------------------------------------
    async def revoke(self, request: Request) -> Response:
        """fosite's revocation: only bare invalid_request / invalid_client errors, else 200."""
        form = await form_of(request)
        try:
            if not form:
                raise OAuthError("invalid_request")
            client = self.authenticate_client(request, form)
        except OAuthError as err:
            bare = OAuthError(
                "invalid_client" if err.error == "invalid_client" else "invalid_request"
            )
            return bare.response(headers=NO_STORE)
        record = self.r.tokens.find(form.get("token", ""))
        # RFC 7009: unknown tokens and other clients' tokens answer 200 and change nothing.
        if record is not None and record["client_id"] == client["client_id"]:
            self.r.tokens.revoke_request(record["request_id"])
        return Response(status_code=200, headers=NO_STORE)
