"""The browser's Kratos session and links into Kratos's browser flows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import request
from stackspin_clients.errors import Forbidden, Unauthorized
from stackspin_clients.models import Session

from login_service.clients import calling, clients
from login_service.config import current_settings, origin_of
from login_service.errors import UnexpectedAnswerError
from login_service.return_urls import is_allowed_return_url, is_browser_url

# Kratos's own cookies: the session (ory_kratos_session, unless session.cookie.name renames
# it), continuity (ory_kratos_continuity) and its CSRF cookie (csrf_token_<hash>).
KRATOS_COOKIE_PREFIXES = ("ory_kratos_", "csrf_token_")
KRATOS_SESSION_COOKIE = "ory_kratos_session"


def browser_cookie() -> str | None:
    """Kratos's cookies from the browser's Cookie header, for our server-side calls to Kratos.

    Only those: the same domain also carries our session cookie and other apps' (e.g.
    dashboard_session), which are none of Kratos's business.
    """
    pairs = [
        pair.strip()
        for pair in request.headers.get("Cookie", "").split(";")
        if pair.strip().startswith(KRATOS_COOKIE_PREFIXES)
    ]
    return "; ".join(pairs) or None


@dataclass(frozen=True)
class BrowserSession:
    """What the login decision needs from a Kratos session (whoami)."""

    session_id: str
    identity_id: str
    identity_state: str
    aal: str
    methods: list[str]
    authenticated_at: datetime | None
    traits: dict[str, Any]


@dataclass(frozen=True)
class SecondFactorRequired:
    """Kratos has a session, but the identity must still pass its second factor."""


def session_from_whoami(session: Session) -> BrowserSession:
    identity = session.identity
    if identity is None:  # a session of nobody must never become a login
        raise UnexpectedAnswerError("kratos", "whoami answered a session without identity")
    authenticated_at = session.authenticated_at
    if authenticated_at is not None and authenticated_at.tzinfo is None:
        authenticated_at = authenticated_at.replace(tzinfo=UTC)
    return BrowserSession(
        session_id=session.id,
        identity_id=identity.id,
        # No state is no proof of "active": the login decision then refuses.
        identity_state=identity.state or "",
        aal=session.authenticator_assurance_level or "aal1",
        methods=[m.method for m in session.authentication_methods or [] if m.method],
        authenticated_at=authenticated_at,
        traits=dict(identity.traits),
    )


def current_session() -> BrowserSession | SecondFactorRequired | None:
    """The browser's Kratos session; None when it has none (or an inactive one)."""
    cookie = browser_cookie()
    if not cookie:
        return None
    try:
        with calling("kratos"):
            session = clients().kratos.whoami(cookie=cookie)
    except Unauthorized:
        return None
    except Forbidden as exc:
        if exc.error_id == "session_aal2_required":
            return SecondFactorRequired()
        raise
    if session.active is False:
        return None
    return session_from_whoami(session)


def kratos_browser_url(
    kind: str,
    *,
    return_to: str | None = None,
    refresh: bool = False,
    aal: str | None = None,
) -> str:
    """Where the browser starts a new Kratos `kind` flow (Kratos answers 303 to our page)."""
    settings = current_settings()
    params: dict[str, str] = {}
    if return_to:
        params["return_to"] = return_to
    if refresh:
        params["refresh"] = "true"
    if aal:
        params["aal"] = aal
    query = f"?{urlencode(params)}" if params else ""
    return f"{settings.kratos_browser_url}/self-service/{kind}/browser{query}"


def kratos_redirect(url: str) -> str:
    """A redirect_browser_to from Kratos, when it stays on Kratos or an allowlisted URL.

    Kratos builds these from its own config and a return_to it has checked; checking again
    keeps a misconfigured or impersonated Kratos from sending people anywhere.
    """
    settings = current_settings()
    on_kratos = is_browser_url(url) and origin_of(url) == origin_of(settings.kratos_browser_url)
    if not (on_kratos or is_allowed_return_url(url, settings)):
        raise UnexpectedAnswerError(
            "kratos", "redirect_browser_to outside Kratos and the allowlist"
        )
    return url
