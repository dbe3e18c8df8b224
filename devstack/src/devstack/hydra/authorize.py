"""GET/POST /oauth2/auth: fosite's request checks plus Hydra's login → consent → code dance.

The browser comes here three times per login: first with the client's request (→ 302 to the
login UI), then with `login_verifier` (→ 302 to the consent UI), then with `consent_verifier`
(→ 303 back to the client with a code). Each return carries the original query, so the request
is validated each time, as fosite does.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from joserfc.errors import JoseError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from devstack import clock
from devstack.hydra.cookie_names import CONSENT_CSRF, LOGIN_CSRF, SESSION, client_suffix
from devstack.hydra.errors import (
    NO_STORE,
    OAuthError,
    redirect_to_client,
    redirect_to_error_url,
    with_query,
)
from devstack.hydra.flows import new_challenge
from devstack.hydra.registry import Registry

PROMPTS = {"none", "login", "consent", "select_account"}
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def split(value: str) -> list[str]:
    return [part for part in value.split(" ") if part]


@dataclass
class AuthorizeRequest:
    client: dict[str, Any]
    params: dict[str, str]
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


class ClientRedirect(Exception):  # noqa: N818 (a control-flow signal, not a failure)
    """An authorize error once the redirect URI is trusted: it goes back to the client."""

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


class AuthorizeEndpoint:
    def __init__(self, registry: Registry) -> None:
        self.r = registry

    async def handle(self, request: Request) -> Response:
        params = await request_params(request)
        try:
            req = self.validate(params)
        except OAuthError as err:
            return redirect_to_error_url(self.r.config.error_url, err)
        except ClientRedirect as err:
            return redirect_to_client(err.redirect_uri, err.error, err.state)
        try:
            if params.get("login_verifier", "").strip():
                return self.after_login(request, req, params["login_verifier"].strip())
            if params.get("consent_verifier", "").strip():
                return self.after_consent(request, req, params["consent_verifier"].strip())
            return self.start_login(request, req)
        except OAuthError as err:
            return redirect_to_client(req.redirect_uri, err, req.state)

    # --- fosite's NewAuthorizeRequest ------------------------------------------------------
    def validate(self, params: dict[str, str]) -> AuthorizeRequest:
        """OAuthError before the redirect URI is trusted (→ error URL), ClientRedirect after."""
        client_id = params.get("client_id", "")
        client = self.r.clients.get(client_id) if client_id else None
        if client is None:
            raise OAuthError("invalid_client", "The requested OAuth 2.0 Client does not exist.")
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

        def fail(error: str, hint: str) -> ClientRedirect:
            return ClientRedirect(OAuthError(error, hint), redirect_uri, state)

        response_type = params.get("response_type", "")
        if response_type != "code":
            raise fail(
                "unsupported_response_type",
                f"The client is not allowed to request response_type '{response_type}'.",
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
        scope = split(params.get("scope", ""))
        allowed = split(client["scope"])
        for s in scope:
            if s not in allowed:
                raise fail(
                    "invalid_scope", f"The OAuth 2.0 Client is not allowed to request scope '{s}'."
                )
        audience = split(params.get("audience", ""))
        for a in audience:
            if a not in client["audience"]:
                raise fail(
                    "invalid_request",
                    f"Requested audience '{a}' has not been whitelisted by the OAuth 2.0 Client.",
                )
        prompt = set(split(params.get("prompt", "")))
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
        nonce = params.get("nonce", "")
        if nonce and len(nonce) < 8:
            raise fail(
                "insufficient_entropy",
                "Parameter 'nonce' is set but does not satisfy the minimum entropy of 8 "
                "characters.",
            )
        asked: dict[str, Any] = {
            "acr_values": split(params.get("acr_values", "")),
            "display": params.get("display", ""),
            "login_hint": params.get("login_hint", ""),
            "ui_locales": split(params.get("ui_locales", "")),
        }
        # Hydra tags each of these `omitempty`: an unasked one is absent, not empty
        oidc_context: dict[str, Any] = {k: v for k, v in asked.items() if v}
        hint = params.get("id_token_hint", "")
        if hint:
            try:
                oidc_context["id_token_hint_claims"] = self.r.key.verify(hint)
            except (JoseError, ValueError):
                raise fail("invalid_request", "Unable to verify the id_token_hint.") from None
        return AuthorizeRequest(
            client=client,
            params=params,
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

    # --- login -----------------------------------------------------------------------------
    def _request_url(self, request: Request, req: AuthorizeRequest) -> str:
        # Hydra keeps the browser's raw query string (POSTed forms are re-encoded here).
        query = request.url.query if request.method == "GET" else urlencode(req.params)
        return self.r.config.public_base() + "oauth2/auth?" + query

    def start_login(self, request: Request, req: AuthorizeRequest) -> Response:
        """Hydra's requestAuthentication + forwardAuthenticationRequest."""
        cfg = self.r.config
        session = None
        if "login" not in req.prompt:
            session = self.r.flows.login_session(request.cookies.get(cfg.cookie_name(SESSION)))
        if (
            session is not None
            and req.max_age is not None
            and session["authenticated_at"] + req.max_age < clock.time()
        ):
            if "none" in req.prompt:
                raise OAuthError(
                    "login_required",
                    "Request failed because prompt is set to 'none' and authentication time "
                    "reached 'max_age'.",
                )
            session = None
        hint_claims = req.oidc_context.get("id_token_hint_claims")
        if (
            session is not None
            and hint_claims is not None
            and hint_claims.get("sub") != session["subject"]
        ):
            raise OAuthError(
                "login_required",
                "Request failed because subject claim from id_token_hint does not match "
                "subject from authentication session.",
            )
        skip = session is not None
        if "none" in req.prompt and not skip:
            raise OAuthError(
                "login_required",
                "Prompt 'none' was requested, but no existing login session was found.",
            )
        challenge = new_challenge()
        csrf = uuid.uuid4().hex
        flow: dict[str, Any] = {
            "state": "login_initialized",
            "login_challenge": challenge,
            "consent_challenge": None,
            "consent_request_id": None,
            "client_id": req.client["client_id"],
            "request_url": self._request_url(request, req),
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
            "subject": session["subject"] if session else "",
            "session_id": session["id"] if session else str(uuid.uuid4()),
            "authenticated_at": session["authenticated_at"] if session else None,
            "login_csrf": csrf,
            "requested_at": int(clock.time()),
        }
        self.r.flows.save(flow)
        response = RedirectResponse(
            with_query(cfg.login_url, {"login_challenge": challenge}), status_code=302
        )
        self._set_csrf(response, LOGIN_CSRF, req.client["client_id"], csrf)
        return response

    def _set_csrf(self, response: Response, base: str, client_id: str, value: str) -> None:
        response.set_cookie(
            f"{self.r.config.cookie_name(base)}_{client_suffix(client_id)}",
            value,
            max_age=self.r.config.ttls.login_consent_request,
            path="/",
            httponly=True,
            samesite="lax",
        )

    def _check_csrf(self, request: Request, base: str, client_id: str, expected: str) -> None:
        got = request.cookies.get(f"{self.r.config.cookie_name(base)}_{client_suffix(client_id)}")
        if not got or not secrets.compare_digest(got, expected):
            raise OAuthError(
                "request_forbidden",
                "The CSRF value from the token does not match the CSRF value from the data store.",
            )

    def _redeem_verifier(
        self, request: Request, req: AuthorizeRequest, step: str, verifier: str, csrf_cookie: str
    ) -> dict[str, Any]:
        """Hydra's verifyAuthentication / verifyConsent checks, shared by both steps: the flow a
        login or consent verifier names, as a new snapshot marked used (the caller saves it).
        A login verifier decodes again each time (VerifyAndInvalidateLoginRequest stores
        nothing); a consent verifier once (VerifyAndInvalidateConsentRequest inserts the flow)."""
        flows = self.r.flows
        flow = flows.by_alias(f"{step}_verifier", verifier)
        if flow is None or flow.get(f"{step}_verifier") != verifier:
            raise OAuthError(
                "access_denied",
                f"The {step} verifier has already been used, has not been granted, or is invalid.",
            )
        if flow["client_id"] != req.client["client_id"]:
            raise OAuthError(
                "invalid_client",
                "The flow client id does not match the authorize request client id.",
            )
        if flow["state"] == f"{step}_error":
            raise rejected_error(flow[f"{step}_error"])
        # A CSRF failure leaves the verifier usable by the browser that owns the cookie.
        self._check_csrf(request, csrf_cookie, flow["client_id"], flow[f"{step}_csrf"])
        if step == "consent":
            flows.drop_alias("consent_verifier", verifier)
        used = flows.fork(flow)
        used["state"] = f"{step}_used"
        return used

    def after_login(self, request: Request, req: AuthorizeRequest, verifier: str) -> Response:
        """Hydra's verifyAuthentication, then requestConsent."""
        cfg = self.r.config
        flows = self.r.flows
        flow = self._redeem_verifier(request, req, "login", verifier, LOGIN_CSRF)
        response = RedirectResponse("about:blank", status_code=302)
        cookie = cfg.cookie_name(SESSION)
        lifespan = cfg.ttls.authentication_session
        remember_for = flow.get("login_remember_for") or 0
        session = {
            "id": flow["session_id"],
            "subject": flow["subject"],
            "authenticated_at": flow["authenticated_at"],
            "remember": flow["login_remember"],
            "expires_at": clock.time()
            + (min(remember_for, lifespan) if remember_for else lifespan),
        }
        if not flow["login_skip"]:
            flows.save_login_session(session)
            if not flow["login_remember"]:
                # Hydra forgets this browser's previous session when the new login is not kept.
                flows.revoke_login_sessions(sid=request.cookies.get(cookie))
                response.delete_cookie(cookie, path="/")
        if flow["login_remember"] and (
            not flow["login_skip"] or flow.get("extend_session_lifespan")
        ):
            response.set_cookie(
                cookie,
                flow["session_id"],
                max_age=remember_for or lifespan,
                path="/",
                httponly=True,
                samesite="lax",
            )
        flows.save(flow)
        return self.start_consent(flow, req, response)

    # --- consent ---------------------------------------------------------------------------
    def _may_skip_consent(self, flow: dict[str, Any], req: AuthorizeRequest) -> bool:
        """Hydra's requestConsent: a remembered consent covering the scopes, except that
        public clients with a non-HTTPS, non-loopback redirect URI are always asked."""
        if "consent" in req.prompt:
            return False
        if req.client["token_endpoint_auth_method"] == "none":  # noqa: S105
            target = urlsplit(req.redirect_uri)
            loopback = target.scheme == "http" and (target.hostname or "") in LOOPBACK_HOSTS
            if target.scheme != "https" and not loopback:
                return False
        previous = self.r.flows.remembered_consent(flow["subject"], flow["client_id"])
        return previous is not None and set(flow["requested_scope"]) <= set(previous["grant_scope"])

    def start_consent(
        self, flow: dict[str, Any], req: AuthorizeRequest, response: Response
    ) -> Response:
        skip = self._may_skip_consent(flow, req)
        if "none" in req.prompt and not skip:
            self.r.flows.save(flow)
            raise OAuthError(
                "consent_required",
                "Prompt 'none' was requested, but no previous consent was found.",
            )
        flow.update(
            state="consent_initialized",
            consent_challenge=new_challenge(),
            consent_request_id=uuid.uuid4().hex,
            consent_csrf=uuid.uuid4().hex,
            consent_skip=skip,
        )
        self.r.flows.save(flow)
        self.r.flows.alias("consent_challenge", flow["consent_challenge"], flow)
        response.headers["location"] = with_query(
            self.r.config.consent_url, {"consent_challenge": flow["consent_challenge"]}
        )
        self._set_csrf(response, CONSENT_CSRF, flow["client_id"], flow["consent_csrf"])
        return response

    def _check_pkce(self, req: AuthorizeRequest) -> None:
        """fosite's PKCE handler: it runs with the other response handlers once consent is
        given (NewAuthorizeResponse), so a missing challenge fails after login and consent,
        not before (Hydra v2.3.0 and v25)."""
        is_public = req.client["token_endpoint_auth_method"] == "none"  # noqa: S105
        if not req.code_challenge:
            if self.r.config.pkce_enforced:
                raise OAuthError(
                    "invalid_request",
                    "Clients must include a code_challenge when performing the authorize code "
                    "flow, but it is missing.",
                )
            if is_public and self.r.config.pkce_enforced_for_public_clients:
                raise OAuthError(
                    "invalid_request",
                    "This client must include a code_challenge when performing the authorize "
                    "code flow, but it is missing.",
                )
        elif (req.code_challenge_method or "plain") != "S256":
            raise OAuthError(
                "invalid_request",
                "Clients must use code_challenge_method=S256, plain is not allowed.",
            )

    def after_consent(self, request: Request, req: AuthorizeRequest, verifier: str) -> Response:
        """Hydra's verifyConsent, then the code is issued (303 to the client)."""
        flows = self.r.flows
        flow = self._redeem_verifier(request, req, "consent", verifier, CONSENT_CSRF)
        self._check_pkce(req)
        flows.save(flow)
        flows.store_consent(flow)
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
            "acr_values": flow["oidc_context"].get("acr_values", []),
            "amr": flow.get("amr") or [],
            "id_token_session": flow.get("session_id_token") or {},
            "access_token_session": flow.get("session_access_token") or {},
        }
        code = self.r.tokens.issue_code(grant)
        target = {"code": code, "scope": " ".join(flow["grant_scope"]), "state": req.state}
        return RedirectResponse(
            with_query(req.redirect_uri, target), status_code=303, headers=NO_STORE
        )


def rejected_error(error: dict[str, Any]) -> OAuthError:
    """The error a login/consent provider gave at reject time, passed on to the client."""
    return OAuthError(
        error["error"],
        error.get("error_hint") or "",
        status=error.get("status_code") or 403,
        description=error.get("error_description") or "",
    )
