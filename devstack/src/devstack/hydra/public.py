"""Hydra's public API: discovery, JWKS, /oauth2/auth, /oauth2/token, /userinfo, revoke, logout."""

from __future__ import annotations

import base64
import binascii
import secrets
import time
import uuid
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus, urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from devstack.hydra.errors import OAuthError, redirect_error, with_query
from devstack.hydra.flows import new_challenge
from devstack.hydra.registry import Registry
from devstack.hydra.tokens import OFFLINE_SCOPES

SESSION_COOKIE = "ory_hydra_session"
LOGIN_CSRF_COOKIE = "ory_hydra_login_csrf"
CONSENT_CSRF_COOKIE = "ory_hydra_consent_csrf"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
PROMPTS = {"none", "login", "consent", "select_account"}


def cookie_suffix(client_id: str) -> str:
    # Hydra suffixes per-client CSRF cookies with a murmur3 hash of the client id; CRC-32 here
    # keeps the name's shape (a decimal number) without another dependency.
    return str(zlib.crc32(client_id.encode()))


@dataclass
class AuthorizeRequest:
    client: dict[str, Any]
    redirect_uri: str
    redirect_uri_given: bool
    state: str
    scope: list[str]
    audience: list[str]
    nonce: str
    prompt: set[str]
    max_age: int | None
    code_challenge: str
    code_challenge_method: str
    oidc_context: dict[str, Any] = field(default_factory=dict)


class RedirectableError(Exception):
    """An authorize error once the redirect URI is known: it goes back to the client."""

    def __init__(self, error: OAuthError, redirect_uri: str, state: str) -> None:
        super().__init__(str(error))
        self.error = error
        self.redirect_uri = redirect_uri
        self.state = state


async def request_params(request: Request) -> dict[str, str]:
    if request.method == "POST":
        form = await request.form()
        return {k: str(v) for k, v in form.items()}
    return dict(request.query_params)


class PublicApp:
    def __init__(self, registry: Registry) -> None:
        self.r = registry

    # --- discovery ----------------------------------------------------------------------
    async def openid_configuration(self, request: Request) -> Response:
        base = self.r.config.public_base()
        return JSONResponse(
            {
                "issuer": self.r.config.issuer_id(),
                "authorization_endpoint": base + "oauth2/auth",
                "token_endpoint": base + "oauth2/token",
                "jwks_uri": base + ".well-known/jwks.json",
                "userinfo_endpoint": base + "userinfo",
                "revocation_endpoint": base + "oauth2/revoke",
                "end_session_endpoint": base + "oauth2/sessions/logout",
                "device_authorization_endpoint": base + "oauth2/device/auth",
                "registration_endpoint": base + "oauth2/register",
                "subject_types_supported": ["public"],
                "response_types_supported": ["code"],
                "response_modes_supported": ["query"],
                "grant_types_supported": [
                    "authorization_code",
                    "refresh_token",
                    "client_credentials",
                ],
                "scopes_supported": ["offline_access", "offline", "openid"],
                "claims_supported": ["sub"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "client_secret_basic",
                    "none",
                ],
                "code_challenge_methods_supported": ["S256"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "id_token_signed_response_alg": ["RS256"],
                "userinfo_signing_alg_values_supported": ["none", "RS256"],
                "userinfo_signed_response_alg": ["none"],
                "request_parameter_supported": False,
                "request_uri_parameter_supported": False,
                "require_request_uri_registration": False,
                "claims_parameter_supported": False,
                "request_object_signing_alg_values_supported": ["none", "RS256", "ES256"],
                "backchannel_logout_supported": False,
                "backchannel_logout_session_supported": False,
                "frontchannel_logout_supported": False,
                "frontchannel_logout_session_supported": False,
            }
        )

    async def jwks(self, request: Request) -> Response:
        return JSONResponse(self.r.key.public_jwks())

    # --- /oauth2/auth --------------------------------------------------------------------
    def validate_authorize(self, params: dict[str, str]) -> AuthorizeRequest:
        """fosite's NewAuthorizeRequest: errors before the redirect URI is trusted are
        OAuthError (they go to Hydra's error URL), later ones RedirectableError."""
        client_id = params.get("client_id", "")
        client = self.r.clients.get(client_id) if client_id else None
        if client is None:
            raise OAuthError(
                "invalid_client",
                "The requested OAuth 2.0 Client does not exist.",
            )
        registered = client["redirect_uris"]
        given = params.get("redirect_uri", "")
        if given:
            if given not in registered:
                raise OAuthError(
                    "invalid_request",
                    "The 'redirect_uri' parameter does not match any of the OAuth 2.0 Client's "
                    "pre-registered redirect urls.",
                )
            redirect_uri = given
        elif len(registered) == 1:
            redirect_uri = registered[0]
        else:
            raise OAuthError(
                "invalid_request",
                "The 'redirect_uri' parameter is required when using OpenID Connect 1.0.",
            )
        state = params.get("state", "")

        def fail(error: str, hint: str) -> RedirectableError:
            return RedirectableError(OAuthError(error, hint), redirect_uri, state)

        if params.get("response_type", "") != "code":
            raise fail(
                "unsupported_response_type",
                "The client is not allowed to request response_type "
                f"'{params.get('response_type', '')}'.",
            )
        if client["response_types"] and "code" not in client["response_types"]:
            raise fail(
                "unsupported_response_type",
                "The client is not allowed to request response_type 'code'.",
            )
        if client["grant_types"] and "authorization_code" not in client["grant_types"]:
            raise fail(
                "unauthorized_client",
                "The OAuth 2.0 Client is not allowed to use authorization grant "
                "'authorization_code'.",
            )
        if len(state) < 8:
            raise fail(
                "invalid_state",
                "Request parameter 'state' must be at least be 8 characters long to ensure "
                "sufficient entropy.",
            )
        scope = [s for s in params.get("scope", "").split(" ") if s]
        allowed = client["scope"].split(" ")
        for s in scope:
            if s not in allowed:
                raise fail(
                    "invalid_scope", f"The OAuth 2.0 Client is not allowed to request scope '{s}'."
                )
        audience = [a for a in params.get("audience", "").split(" ") if a]
        for a in audience:
            if a not in client["audience"]:
                raise fail(
                    "invalid_request",
                    f"Requested audience '{a}' has not been whitelisted by the OAuth 2.0 Client.",
                )
        prompt = {p for p in params.get("prompt", "").split(" ") if p}
        if not prompt <= PROMPTS:
            raise fail("invalid_request", "Used unknown value for prompt parameter.")
        if "none" in prompt and len(prompt) > 1:
            raise fail(
                "invalid_request",
                "Parameter 'prompt' was set to 'none', but contains other values as well which "
                "is not allowed.",
            )
        max_age: int | None = None
        if params.get("max_age"):
            try:
                max_age = int(params["max_age"])
            except ValueError:
                raise fail("invalid_request", "Unable to parse max_age.") from None
        challenge = params.get("code_challenge", "")
        method = params.get("code_challenge_method", "")
        is_public = client["token_endpoint_auth_method"] == "none"  # noqa: S105
        if not challenge:
            if self.r.config.pkce_enforced or (
                is_public and self.r.config.pkce_enforced_for_public_clients
            ):
                raise fail(
                    "invalid_request",
                    "Clients must include a code_challenge when performing the authorize code "
                    "flow, but it is missing.",
                )
        elif (method or "plain") != "S256":
            raise fail(
                "invalid_request",
                "Clients must use code_challenge_method=S256, plain is not allowed.",
            )
        nonce = params.get("nonce", "")
        if nonce and len(nonce) < 8:
            raise fail(
                "insufficient_entropy",
                "Parameter 'nonce' is set but does not satisfy the minimum entropy of 8 "
                "characters.",
            )
        oidc_context = {
            "acr_values": [a for a in params.get("acr_values", "").split(" ") if a],
            "display": params.get("display", ""),
            "login_hint": params.get("login_hint", ""),
            "ui_locales": [u for u in params.get("ui_locales", "").split(" ") if u],
        }
        return AuthorizeRequest(
            client=client,
            redirect_uri=redirect_uri,
            redirect_uri_given=bool(given),
            state=state,
            scope=scope,
            audience=audience,
            nonce=nonce,
            prompt=prompt,
            max_age=max_age,
            code_challenge=challenge,
            code_challenge_method=method,
            oidc_context=oidc_context,
        )

    async def authorize(self, request: Request) -> Response:
        params = await request_params(request)
        try:
            req = self.validate_authorize(params)
        except OAuthError as err:
            return redirect_error(self.r.config.error_url, err, params.get("state"))
        except RedirectableError as err:
            return redirect_error(err.redirect_uri, err.error, err.state)
        try:
            if params.get("login_verifier"):
                return self.after_login(request, req, params["login_verifier"])
            if params.get("consent_verifier"):
                return self.after_consent(request, req, params["consent_verifier"])
            return self.start_login(request, req, params)
        except OAuthError as err:
            return redirect_error(req.redirect_uri, err, req.state)

    def _request_url(self, params: dict[str, str]) -> str:
        clean = {k: v for k, v in params.items() if k not in ("login_verifier", "consent_verifier")}
        return self.r.config.public_base() + "oauth2/auth?" + urlencode(clean)

    def start_login(
        self, request: Request, req: AuthorizeRequest, params: dict[str, str]
    ) -> Response:
        cfg = self.r.config
        session = self.r.flows.login_session(request.cookies.get(cfg.cookie_name(SESSION_COOKIE)))
        skip = session is not None and "login" not in req.prompt
        if skip and session is not None and req.max_age is not None:
            skip = session["authenticated_at"] + req.max_age >= time.time()
        if "none" in req.prompt and not skip:
            raise OAuthError(
                "login_required",
                "Prompt 'none' was requested, but no existing login session was found.",
            )
        now = int(time.time())
        challenge = new_challenge()
        csrf = secrets.token_urlsafe(24)
        flow: dict[str, Any] = {
            "state": "login_initialized",
            "login_challenge": challenge,
            "consent_challenge": None,
            "consent_request_id": None,
            "client_id": req.client["client_id"],
            "request_url": self._request_url(params),
            "requested_scope": req.scope,
            "requested_audience": req.audience,
            "redirect_uri": req.redirect_uri,
            "redirect_uri_given": req.redirect_uri_given,
            "oauth_state": req.state,
            "nonce": req.nonce,
            "prompt": sorted(req.prompt),
            "code_challenge": req.code_challenge,
            "code_challenge_method": req.code_challenge_method,
            "oidc_context": req.oidc_context,
            "login_skip": skip,
            "subject": session["subject"] if skip and session else "",
            "session_id": session["id"] if skip and session else str(uuid.uuid4()),
            "authenticated_at": session["authenticated_at"] if skip and session else None,
            "login_csrf": csrf,
            "requested_at": now,
        }
        self.r.flows.save(flow)
        response = RedirectResponse(
            with_query(cfg.login_url, {"login_challenge": challenge}), status_code=302
        )
        self._set_csrf(response, LOGIN_CSRF_COOKIE, req.client["client_id"], csrf)
        return response

    def _set_csrf(self, response: Response, base: str, client_id: str, value: str) -> None:
        name = f"{self.r.config.cookie_name(base)}_{cookie_suffix(client_id)}"
        response.set_cookie(
            name,
            value,
            max_age=self.r.config.ttls.login_consent_request,
            path="/",
            httponly=True,
            samesite="lax",
        )

    def _check_csrf(self, request: Request, base: str, client_id: str, expected: str) -> None:
        name = f"{self.r.config.cookie_name(base)}_{cookie_suffix(client_id)}"
        got = request.cookies.get(name, "")
        if not got or not secrets.compare_digest(got, expected):
            raise OAuthError(
                "request_forbidden",
                "The CSRF value from the token does not match the CSRF value from the data store.",
            )

    def after_login(self, request: Request, req: AuthorizeRequest, verifier: str) -> Response:
        cfg = self.r.config
        flows = self.r.flows
        flow = flows.by_alias("login_verifier", verifier)
        if flow is None or flow.get("login_verifier") != verifier:
            raise OAuthError(
                "access_denied",
                "The login verifier has already been used, has not been granted, or is invalid.",
            )
        if flow["client_id"] != req.client["client_id"]:
            raise OAuthError("invalid_request", "The login verifier belongs to another client.")
        self._check_csrf(request, LOGIN_CSRF_COOKIE, flow["client_id"], flow["login_csrf"])
        flows.drop_alias("login_verifier", verifier)
        if flow["state"] == "login_error":
            error = flow["login_error"]
            flow["state"] = "login_used_error"
            flows.save(flow)
            return redirect_error(req.redirect_uri, rejected_error(error), req.state)
        if flow["state"] != "login_unused":
            raise OAuthError("invalid_request", "The login request was already used.")
        flow["state"] = "login_used"
        response = RedirectResponse("about:blank", status_code=302)
        cookie = cfg.cookie_name(SESSION_COOKIE)
        current = flows.login_session(request.cookies.get(cookie))
        if flow["login_skip"] and current is not None:
            flow["authenticated_at"] = current["authenticated_at"]
            if flow.get("extend_session_lifespan"):
                self._set_session_cookie(response, current)
        else:
            session = {
                "id": flow["session_id"],
                "subject": flow["subject"],
                "authenticated_at": flow["authenticated_at"],
                "remember": flow["login_remember"],
                "remember_for": flow["login_remember_for"],
                "expires_at": (
                    time.time() + flow["login_remember_for"]
                    if flow["login_remember_for"]
                    else time.time() + cfg.ttls.authentication_session
                ),
            }
            flows.save_login_session(session)
            if flow["login_remember"]:
                self._set_session_cookie(response, session)
            elif current is not None and current["subject"] != flow["subject"]:
                response.delete_cookie(cookie, path="/")
        return self.start_consent(flow, req, response)

    def _set_session_cookie(self, response: Response, session: dict[str, Any]) -> None:
        # remember_for 0 → a browser-session cookie, as in Hydra.
        response.set_cookie(
            self.r.config.cookie_name(SESSION_COOKIE),
            session["id"],
            max_age=session["remember_for"] or None,
            path="/",
            httponly=True,
            samesite="lax",
        )

    def start_consent(
        self, flow: dict[str, Any], req: AuthorizeRequest, response: Response
    ) -> Response:
        flows = self.r.flows
        flow["consent_challenge"] = new_challenge()
        flow["consent_request_id"] = uuid.uuid4().hex
        flow["consent_csrf"] = secrets.token_urlsafe(24)
        remembered = None if "consent" in req.prompt else flows.remembered_consent(flow)
        flow["consent_skip"] = remembered is not None
        flow["state"] = "consent_initialized"
        if req.client.get("skip_consent"):
            # Hydra grants what was asked, without the consent UI, for such clients.
            flow.update(
                state="consent_used",
                grant_scope=flow["requested_scope"],
                grant_audience=flow["requested_audience"],
                consent_remember=False,
                consent_handled_at=time.time(),
            )
            flows.save(flow)
            flows.alias("consent_challenge", flow["consent_challenge"], flow)
            return self.finish(flow, req, response)
        if "none" in req.prompt and remembered is None:
            flows.save(flow)
            raise OAuthError(
                "consent_required",
                "Prompt 'none' was requested, but no previous consent was found.",
            )
        flows.save(flow)
        flows.alias("consent_challenge", flow["consent_challenge"], flow)
        response.headers["location"] = with_query(
            self.r.config.consent_url, {"consent_challenge": flow["consent_challenge"]}
        )
        self._set_csrf(response, CONSENT_CSRF_COOKIE, flow["client_id"], flow["consent_csrf"])
        return response

    def after_consent(self, request: Request, req: AuthorizeRequest, verifier: str) -> Response:
        flows = self.r.flows
        flow = flows.by_alias("consent_verifier", verifier)
        if flow is None or flow.get("consent_verifier") != verifier:
            raise OAuthError(
                "access_denied",
                "The consent verifier has already been used, has not been granted, or is invalid.",
            )
        if flow["client_id"] != req.client["client_id"]:
            raise OAuthError("invalid_request", "The consent verifier belongs to another client.")
        self._check_csrf(request, CONSENT_CSRF_COOKIE, flow["client_id"], flow["consent_csrf"])
        flows.drop_alias("consent_verifier", verifier)
        if flow["state"] == "consent_error":
            flow["state"] = "consent_used_error"
            flows.save(flow)
            return redirect_error(
                req.redirect_uri, rejected_error(flow["consent_error"]), req.state
            )
        if flow["state"] != "consent_unused":
            raise OAuthError("invalid_request", "The consent request was already used.")
        flow["state"] = "consent_used"
        flows.save(flow)
        return self.finish(flow, req, RedirectResponse("about:blank", status_code=302))

    def finish(self, flow: dict[str, Any], req: AuthorizeRequest, response: Response) -> Response:
        """Store the consent and send the browser back to the client with a code."""
        self.r.flows.store_consent(flow)
        grant = {
            "request_id": flow["consent_request_id"],
            "consent_id": flow["consent_request_id"],
            "client_id": flow["client_id"],
            "subject": flow["subject"],
            "scope": flow["grant_scope"],
            "audience": flow["grant_audience"],
            "redirect_uri": flow["redirect_uri"] if flow["redirect_uri_given"] else None,
            "code_challenge": flow["code_challenge"],
            "code_challenge_method": flow["code_challenge_method"],
            "nonce": flow["nonce"],
            "sid": flow["session_id"],
            "auth_time": flow["authenticated_at"],
            "requested_at": flow["requested_at"],
            "acr": flow.get("acr", ""),
            "amr": flow.get("amr") or [],
            "id_token_session": flow.get("session_id_token") or {},
            "access_token_session": flow.get("session_access_token") or {},
        }
        code = self.r.tokens.issue_code(grant)
        target = {"code": code, "scope": " ".join(flow["grant_scope"]), "state": req.state}
        response.headers["location"] = with_query(req.redirect_uri, target)
        return response

    # --- /oauth2/token -------------------------------------------------------------------
    def authenticate_client(self, request: Request, form: dict[str, str]) -> dict[str, Any]:
        """client_secret_basic, client_secret_post or none, checked against the client's method."""
        header = request.headers.get("authorization", "")
        method: str
        secret: str | None
        if header.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
                raw_id, _, raw_secret = decoded.partition(":")
            except (binascii.Error, UnicodeDecodeError):
                raise OAuthError(
                    "invalid_request", "The basic authorization header could not be decoded."
                ) from None
            client_id, secret, method = (
                unquote_plus(raw_id),
                unquote_plus(raw_secret),
                "client_secret_basic",
            )
        elif form.get("client_secret"):
            client_id, secret, method = (
                form.get("client_id", ""),
                form["client_secret"],
                "client_secret_post",
            )
        else:
            client_id, secret, method = form.get("client_id", ""), None, "none"
        client = self.r.clients.get(client_id) if client_id else None
        if client is None:
            raise OAuthError("invalid_client", "The requested OAuth 2.0 Client does not exist.")
        registered = client["token_endpoint_auth_method"]
        if registered != method:
            raise OAuthError(
                "invalid_client",
                f"The OAuth 2.0 Client supports client authentication method '{registered}', "
                f"but method '{method}' was requested. You must configure the OAuth 2.0 client's "
                f"'token_endpoint_auth_method' value to accept '{method}'.",
            )
        if method != "none" and not self.r.clients.authenticate_secret(client, secret or ""):
            raise OAuthError(
                "invalid_client", "The provided client secret did not match the stored value."
            )
        return client

    async def token(self, request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        try:
            client = self.authenticate_client(request, form)
            grant_type = form.get("grant_type", "")
            allowed = client["grant_types"] or ["authorization_code"]
            if grant_type not in ("authorization_code", "refresh_token", "client_credentials"):
                raise OAuthError(
                    "unsupported_grant_type",
                    f"The handler is not responsible for grant type '{grant_type}'."
                    if grant_type
                    else "Request parameter 'grant_type' is missing",
                )
            if grant_type not in allowed:
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

    def _offline(self, client: dict[str, Any], scope: list[str]) -> bool:
        allowed = client["grant_types"] or ["authorization_code"]
        return "refresh_token" in allowed and any(s in scope for s in OFFLINE_SCOPES)

    def exchange_code(self, client: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
        tokens = self.r.tokens
        code = form.get("code", "")
        record = tokens.find_code(code) if code else None
        if record is None:
            raise OAuthError("invalid_grant", "The authorization code could not be found.")
        if record["used"]:
            # RFC 6749 §4.1.2: a replayed code revokes what it produced.
            tokens.revoke_request(record["request_id"])
            raise OAuthError(
                "invalid_grant",
                "The authorization code has already been used.",
            )
        if record["expires_at"] < time.time():
            raise OAuthError("invalid_grant", "The authorization code has expired.")
        if record["client_id"] != client["client_id"]:
            raise OAuthError(
                "invalid_grant",
                "The OAuth 2.0 Client ID from this request does not match the one from the "
                "authorize request.",
            )
        if (
            record["redirect_uri"] is not None
            and form.get("redirect_uri") != record["redirect_uri"]
        ):
            raise OAuthError(
                "invalid_grant",
                "The 'redirect_uri' from this request does not match the one from the "
                "authorize request.",
            )
        verifier = form.get("code_verifier", "")
        if record["code_challenge"]:
            if not verifier:
                raise OAuthError(
                    "invalid_grant", "The PKCE code verifier must be at least 43 characters."
                )
            if not 43 <= len(verifier) <= 128:
                raise OAuthError(
                    "invalid_grant", "The PKCE code verifier must be at least 43 characters."
                )
            if not secrets.compare_digest(
                create_s256_code_challenge(verifier), record["code_challenge"]
            ):
                raise OAuthError(
                    "invalid_grant", "The PKCE code challenge did not match the code verifier."
                )
        elif verifier:
            raise OAuthError(
                "invalid_grant",
                "The PKCE code verifier was set but no code challenge was sent in the authorize "
                "request.",
            )
        tokens.mark_code_used(code, record)
        return tokens.issue(
            record,
            refresh=self._offline(client, record["scope"]),
            id_token="openid" in record["scope"],
        )

    def exchange_refresh(self, client: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
        tokens = self.r.tokens
        token = form.get("refresh_token", "")
        record = tokens.find(token) if token else None
        if record is None or record["token_use"] != "refresh_token":  # noqa: S105
            raise OAuthError("invalid_grant", "The refresh token could not be found.")
        if not record["active"]:
            # A rotated token used again: revoke the whole chain (fosite does the same).
            tokens.revoke_request(record["request_id"])
            raise OAuthError("invalid_grant", "The refresh token has been revoked or used.")
        if record["exp"] <= time.time():
            raise OAuthError("invalid_grant", "The refresh token expired.")
        if record["client_id"] != client["client_id"]:
            raise OAuthError(
                "invalid_grant",
                "The OAuth 2.0 Client ID from this request does not match the ID during the "
                "initial token issuance.",
            )
        if not self._offline(client, record["scope"]):
            raise OAuthError(
                "invalid_scope",
                "The OAuth 2.0 Client is not allowed to use refresh tokens for this grant.",
            )
        # Rotation: only this request's live tokens go; the new pair carries the same request id.
        tokens.revoke_request(record["request_id"])
        grant = dict(record, id_token_session=record["id_token_session"])
        grant["access_token_session"] = record.get("ext") or {}
        return tokens.issue(grant, refresh=True, id_token="openid" in record["scope"])

    def client_credentials(self, client: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
        if client["token_endpoint_auth_method"] == "none":  # noqa: S105
            raise OAuthError(
                "invalid_grant",
                "The client is public and thus not allowed to use grant type client_credentials.",
            )
        scope = [s for s in form.get("scope", "").split(" ") if s]
        for s in scope:
            if s not in client["scope"].split(" "):
                raise OAuthError(
                    "invalid_scope", f"The OAuth 2.0 Client is not allowed to request scope '{s}'."
                )
        audience = [a for a in form.get("audience", "").split(" ") if a]
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

    # --- /userinfo and /oauth2/revoke ------------------------------------------------------
    async def userinfo(self, request: Request) -> Response:
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if not token and request.method == "POST":
            form = await request.form()
            token = str(form.get("access_token", ""))
        record = self.r.tokens.active(token, "access_token") if token else None
        if record is None:
            err = OAuthError(
                "request_unauthorized",
                "Check that you provided valid credentials for the right format.",
            )
            return err.response(
                headers={
                    "WWW-Authenticate": f"error={err.error},error_description={err.description}"
                }
            )
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

    async def revoke(self, request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        try:
            client = self.authenticate_client(request, form)
        except OAuthError as err:
            return err.response()
        token = form.get("token", "")
        if not token:
            return OAuthError(
                "invalid_request", "The request is missing the token parameter."
            ).response()
        record = self.r.tokens.find(token)
        # RFC 7009: unknown tokens and other clients' tokens answer 200 and change nothing.
        if record is not None and record["client_id"] == client["client_id"]:
            self.r.tokens.revoke_request(record["request_id"])
        return Response(status_code=200)

    # --- /oauth2/sessions/logout -----------------------------------------------------------
    async def logout(self, request: Request) -> Response:
        params = await request_params(request)
        cfg = self.r.config
        flows = self.r.flows
        if params.get("logout_verifier"):
            return self.complete_logout(request, params["logout_verifier"])
        hint = params.get("id_token_hint", "")
        post_logout = params.get("post_logout_redirect_uri", "")
        state = params.get("state", "")
        session = flows.login_session(request.cookies.get(cfg.cookie_name(SESSION_COOKIE)))
        if not hint:
            if post_logout:
                return redirect_error(
                    cfg.error_url,
                    OAuthError(
                        "invalid_request",
                        "Logout failed because query parameter post_logout_redirect_uri is set "
                        "but id_token_hint is missing.",
                    ),
                    state,
                )
            if session is None:
                return RedirectResponse(cfg.post_logout_redirect_url, status_code=302)
            challenge = flows.new_logout(
                {
                    "subject": session["subject"],
                    "sid": session["id"],
                    "request_url": str(request.url),
                    "rp_initiated": False,
                    "requested_at": time.time(),
                    "client_id": None,
                    "post_logout_redirect_uri": cfg.post_logout_redirect_url,
                    "state": "",
                }
            )
            return RedirectResponse(
                with_query(cfg.logout_url, {"logout_challenge": challenge}), status_code=302
            )
        try:
            claims = self.r.key.verify(hint)
        except ValueError:
            return redirect_error(
                cfg.error_url,
                OAuthError("invalid_request", "Unable to validate OpenID Connect id_token_hint."),
                state,
            )
        if claims.get("iss") != cfg.issuer_id():
            return redirect_error(
                cfg.error_url,
                OAuthError("invalid_request", "The id_token_hint was not issued by this server."),
                state,
            )
        aud = claims.get("aud")
        client_id = aud[0] if isinstance(aud, list) and aud else str(aud or "")
        client = self.r.clients.get(client_id)
        if client is None:
            return redirect_error(
                cfg.error_url,
                OAuthError("invalid_request", "The id_token_hint names an unknown client."),
                state,
            )
        target = cfg.post_logout_redirect_url
        if post_logout:
            if post_logout not in client["post_logout_redirect_uris"]:
                return redirect_error(
                    cfg.error_url,
                    OAuthError(
                        "invalid_request",
                        "Logout failed because query parameter post_logout_redirect_uri is not a "
                        "whitelisted as a post_logout_redirect_uri for the client.",
                    ),
                    state,
                )
            target = with_query(post_logout, {"state": state}) if state else post_logout
        if session is None or session["subject"] != claims.get("sub"):
            # Nothing to end in this browser: Hydra goes straight to the post-logout URL.
            return RedirectResponse(target, status_code=302)
        challenge = flows.new_logout(
            {
                "subject": session["subject"],
                "sid": session["id"],
                "request_url": str(request.url),
                "rp_initiated": True,
                "requested_at": time.time(),
                "client_id": client_id,
                "post_logout_redirect_uri": target,
            }
        )
        return RedirectResponse(
            with_query(cfg.logout_url, {"logout_challenge": challenge}), status_code=302
        )

    def complete_logout(self, request: Request, verifier: str) -> Response:
        cfg = self.r.config
        flows = self.r.flows
        link = self.r.store.get("logout_verifier", verifier)
        logout = self.r.store.get("logout", link["challenge"]) if link else None
        if logout is None or not logout.get("accepted") or logout.get("used"):
            return redirect_error(
                cfg.error_url,
                OAuthError(
                    "invalid_request",
                    "The logout verifier has already been used, has not been granted, or is "
                    "invalid.",
                ),
                None,
            )
        self.r.store.delete("logout_verifier", verifier)
        logout["used"] = True
        flows.save_logout(logout)
        flows.revoke_login_sessions(sid=logout["sid"])
        response = RedirectResponse(logout["post_logout_redirect_uri"], status_code=302)
        response.delete_cookie(cfg.cookie_name(SESSION_COOKIE), path="/")
        return response

    async def fallback_error(self, request: Request) -> Response:
        return JSONResponse(dict(request.query_params), status_code=200)

    def routes(self) -> list[Route]:
        return [
            Route("/.well-known/openid-configuration", self.openid_configuration),
            Route("/.well-known/jwks.json", self.jwks),
            Route("/oauth2/auth", self.authorize, methods=["GET", "POST"]),
            Route("/oauth2/token", self.token, methods=["POST"]),
            Route("/userinfo", self.userinfo, methods=["GET", "POST"]),
            Route("/oauth2/revoke", self.revoke, methods=["POST"]),
            Route("/oauth2/sessions/logout", self.logout, methods=["GET", "POST"]),
            Route("/oauth2/fallbacks/error", self.fallback_error),
        ]


def rejected_error(error: dict[str, Any]) -> OAuthError:
    """The error a login/consent provider gave at reject time, sent on to the client."""
    description = error.get("error_description") or ""
    hint = error.get("error_hint") or ""
    return OAuthError(
        error["error"],
        hint,
        status=error.get("status_code") or 403,
        description=description,
    )
