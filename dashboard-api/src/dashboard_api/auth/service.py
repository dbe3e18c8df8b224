"""Backend-for-frontend login through Hydra (authorization code + PKCE with Authlib) and the
resolution of a session cookie or Bearer token to a principal."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from dashboard_api.auth import repository
from dashboard_api.auth.introspection import IntrospectionCache
from dashboard_api.auth.models import DashboardSession, LoginState
from dashboard_api.auth.schemas import Principal
from dashboard_api.config import Settings
from dashboard_api.context import Context
from dashboard_api.db import utcnow
from dashboard_api.errors import DependencyUnavailable, InvalidRequest, Unauthenticated

SESSION_COOKIE = "dashboard_session"
# Holds the state of the login this browser started: a callback carrying another browser's
# state and code (login CSRF, planting the attacker's session) is refused.
LOGIN_COOKIE = "dashboard_login"


def _digest(settings: Settings, value: str) -> str:
    """Keyed hash: a leaked table of hashes cannot be turned back into cookies or states."""
    return hmac.new(settings.secret_key.encode(), value.encode(), hashlib.sha256).hexdigest()


def _authorization_url(settings: Settings, *, state: str, verifier: str, nonce: str) -> str:
    return str(
        add_params_to_uri(
            f"{settings.hydra_browser_base}/oauth2/auth",
            [
                ("response_type", "code"),
                ("client_id", settings.oauth_client_id),
                ("redirect_uri", settings.redirect_uri),
                ("scope", settings.oauth_scope),
                ("state", state),
                ("nonce", nonce),
                ("code_challenge", create_s256_code_challenge(verifier)),
                ("code_challenge_method", "S256"),
            ],
        )
    )


def _exchange_code(settings: Settings, *, code: str, verifier: str) -> dict[str, Any]:
    """The token request (client_secret_basic, RFC 6749 2.3.1 form-encoding of the pair)."""
    try:
        response = httpx.post(
            f"{settings.hydra_public_url.rstrip('/')}/oauth2/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": settings.redirect_uri,
                "code_verifier": verifier,
            },
            auth=(
                quote(settings.oauth_client_id, safe=""),
                quote(settings.oauth_client_secret, safe=""),
            ),
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
        )
    except httpx.HTTPError as exc:
        raise DependencyUnavailable("Hydra's token endpoint did not answer.") from exc
    if response.status_code >= 500:
        raise DependencyUnavailable(f"Hydra's token endpoint answered {response.status_code}.")
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or not isinstance(body, dict):
        error = body.get("error") if isinstance(body, dict) else None
        raise InvalidRequest(f"Hydra did not accept the login: {error or response.status_code}")
    return body


def safe_return_to(return_to: str | None) -> str:
    """Only paths on our own origin: never an open redirect."""
    if not return_to:
        return "/"
    # Browsers drop tabs and newlines from URLs ("/\t/evil" is "//evil"): no control characters.
    if (
        not return_to.startswith("/")
        or return_to.startswith("//")
        or "\\" in return_to
        or any(ord(c) < 0x21 or ord(c) == 0x7F for c in return_to)
    ):
        raise InvalidRequest("return_to must be a path on this site, like /users.")
    return return_to


@dataclass
class LoginStart:
    url: str
    state: str


def start_login(ctx: Context, return_to: str | None) -> LoginStart:
    """Remember a PKCE verifier and nonce under a fresh state; the URL to send the browser to
    and the state to bind to the browser (LOGIN_COOKIE)."""
    target = safe_return_to(return_to)
    state, verifier, nonce = generate_token(32), generate_token(64), generate_token(24)
    repository.delete_expired(ctx.session, utcnow())
    repository.add_login_state(
        ctx.session,
        LoginState(
            state_hash=_digest(ctx.settings, state),
            code_verifier=verifier,
            nonce=nonce,
            return_to=target,
            expires_at=utcnow() + timedelta(seconds=ctx.settings.login_state_lifetime),
        ),
    )
    return LoginStart(
        url=_authorization_url(ctx.settings, state=state, verifier=verifier, nonce=nonce),
        state=state,
    )


@dataclass
class NewSession:
    token: str
    return_to: str


def finish_login(
    ctx: Context,
    *,
    state: str,
    code: str,
    browser_state: str | None,
    previous_session: str | None,
) -> NewSession:
    """Swap the code for tokens (with the PKCE verifier) and open a fresh dashboard session."""
    if not browser_state or not hmac.compare_digest(browser_state.encode(), state.encode()):
        raise InvalidRequest("This login was not started in this browser; start again.")
    pending = repository.pop_login_state(ctx.session, _digest(ctx.settings, state), utcnow())
    if pending is None:
        raise InvalidRequest("This login is unknown or expired; start again.")
    token = _exchange_code(ctx.settings, code=code, verifier=pending.code_verifier)
    access_token = token.get("access_token")
    if not isinstance(access_token, str):
        raise InvalidRequest("Hydra answered without an access token.")
    introspected = ctx.ory.hydra.introspect_token(access_token)
    if not introspected.active or not introspected.sub:
        raise InvalidRequest("Hydra gave a token that is not active.")
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        id_token = None
    elif _unverified_claims(id_token).get("nonce") != pending.nonce:
        # The ID token came straight from Hydra over the back channel (OIDC Core 3.1.3.7),
        # so its signature needs no check here; its nonce must be the one this login sent.
        raise InvalidRequest("The ID token does not belong to this login.")
    if previous_session:
        # Never keep a session from before the login (fixation): the browser gets a new one.
        repository.delete_session(ctx.session, _digest(ctx.settings, previous_session))
    session_token = open_session(ctx, introspected.sub, id_token=id_token)
    return NewSession(token=session_token, return_to=pending.return_to or "/")


def _unverified_claims(jwt: str) -> dict[str, Any]:
    try:
        payload = jwt.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


def open_session(ctx: Context, subject: str, *, id_token: str | None = None) -> str:
    """Store a new dashboard session for `subject`; the token for the cookie."""
    session_token = secrets.token_urlsafe(32)
    repository.add_session(
        ctx.session,
        DashboardSession(
            token_hash=_digest(ctx.settings, session_token),
            subject=subject,
            id_token=id_token,
            expires_at=utcnow() + timedelta(seconds=ctx.settings.session_lifetime),
        ),
    )
    return session_token


def logout(ctx: Context, session_token: str | None) -> str:
    """End the dashboard session; the Hydra RP-initiated logout URL to send the browser to."""
    params = {"post_logout_redirect_uri": ctx.settings.logout_redirect}
    if session_token:
        token_hash = _digest(ctx.settings, session_token)
        found = repository.get_session(ctx.session, token_hash)
        if found is not None:
            if found.id_token:
                params["id_token_hint"] = found.id_token
            repository.delete_session(ctx.session, token_hash)
    if "id_token_hint" not in params:
        # Hydra needs the hint to honour post_logout_redirect_uri; without it, go home.
        return ctx.settings.logout_redirect
    return f"{ctx.settings.hydra_browser_base}/oauth2/sessions/logout?{urlencode(params)}"


def _standing_from_session(ctx: Context, session_token: str) -> tuple[str, bool] | None:
    return repository.session_standing(ctx.session, _digest(ctx.settings, session_token), utcnow())


def _standing_from_token(
    ctx: Context, cache: IntrospectionCache, token: str
) -> tuple[str, bool] | None:
    result = cache.introspect(ctx.ory.hydra, token)
    if not result.active or not result.sub or not result.client_id:
        return None
    if result.token_use not in (None, "access_token"):
        return None
    # Only tokens issued to the dashboard's own clients speak for the person here.
    dashboard_client, admin = repository.token_standing(ctx.session, result.client_id, result.sub)
    return (result.sub, admin) if dashboard_client else None


def resolve_principal(
    ctx: Context,
    cache: IntrospectionCache,
    *,
    bearer: str | None,
    session_token: str | None,
) -> Principal:
    """Who is calling, and whether they are a dashboard admin: one query besides the token's
    introspection (cached); admin directly or through a group, as `roles.is_dashboard_admin`."""
    if bearer:
        standing = _standing_from_token(ctx, cache, bearer)
        via = "token"
    elif session_token:
        standing = _standing_from_session(ctx, session_token)
        via = "session"
    else:
        raise Unauthenticated("Sign in, or send a Bearer access token.")
    if standing is None:
        raise Unauthenticated("The session or token is not (or no longer) valid.")
    subject, is_admin = standing
    return Principal(subject=subject, is_admin=is_admin, via=via)  # type: ignore[arg-type]
