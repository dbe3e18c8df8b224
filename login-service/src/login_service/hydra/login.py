"""/auth/login: Hydra's login endpoint, the Kratos login page, and "you are logged in".

With a login_challenge: Hydra skip → accept; a Kratos session at the required AAL → accept;
otherwise send the browser through Kratos's login flow and back here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import structlog
from flask import Blueprint, redirect, render_template, request, session
from flask.typing import ResponseReturnValue
from stackspin_clients.errors import NotFound
from stackspin_clients.models import AcceptLogin, LoginRequest

from login_service import clock
from login_service.clients import calling, clients
from login_service.config import current_settings
from login_service.errors import render_error
from login_service.flows.pages import render_flow_page
from login_service.hydra.challenges import (
    access_denied,
    challenge_key,
    checked_challenge,
    fetch,
    next_url,
    refuse_if_finished,
    seen,
)
from login_service.kratos_session import (
    BrowserSession,
    SecondFactorRequired,
    current_session,
    kratos_browser_url,
)
from login_service.lazy_text import lazy_text as _l
from login_service.observability import DECISIONS

bp = Blueprint("login", __name__)
log = structlog.get_logger(__name__)

# OIDC amr values (RFC 8176) for Kratos's authentication methods.
AMR_BY_METHOD = {
    "password": "pwd",
    "totp": "otp",
    "lookup_secret": "otp",
    "code": "otp",
    "link": "otp",
    "webauthn": "hwk",
    "passkey": "hwk",
    "oidc": "fed",
    "saml": "fed",
}
REAUTH_KEY = "reauth"


@bp.get("/auth/login")
def login() -> ResponseReturnValue:
    if "login_challenge" in request.args:
        return hydra_login(request.args.get("login_challenge"))
    if request.args.get("flow") is not None:
        return render_flow_page("login")
    return logged_in_page()


def logged_in_page() -> ResponseReturnValue:
    state = current_session()
    if isinstance(state, SecondFactorRequired):
        return redirect(kratos_browser_url("login", aal="aal2"), code=303)
    if state is None:
        return render_flow_page("login")
    return render_template(
        "logged_in.html",
        title=_l("You are signed in"),
        traits=state.traits,
        second_factor=state.aal == "aal2",
    )


def amr_for(methods: list[str]) -> list[str]:
    amr: list[str] = []
    for method in methods:
        value = AMR_BY_METHOD.get(method, method)
        if value not in amr:
            amr.append(value)
    if len(amr) > 1:
        amr.append("mfa")
    return amr


def _prompt_and_max_age(request_url: str | None) -> tuple[set[str], int | None]:
    query = parse_qs(urlsplit(request_url or "").query)
    prompt = set(" ".join(query.get("prompt", [])).split())
    try:
        max_age = int(query["max_age"][0]) if "max_age" in query else None
    except ValueError:
        max_age = None
    return prompt, max_age


def _needs_fresh_login(challenge: str, login_request: LoginRequest, state: BrowserSession) -> bool:
    """prompt=login or an exceeded max_age, unless this browser just re-authenticated for it."""
    prompt, max_age = _prompt_and_max_age(login_request.request_url)
    authenticated = state.authenticated_at.timestamp() if state.authenticated_at else 0.0
    wanted = "login" in prompt or (max_age is not None and clock.now() - authenticated > max_age)
    if not wanted:
        return False
    marker = session.get(REAUTH_KEY) or {}
    started = marker.get("t") if marker.get("c") == challenge_key(challenge) else None
    # The refreshed Kratos session is newer than the moment we sent the browser to re-login.
    return not (isinstance(started, int | float) and authenticated >= started - 1)


def _reject_inactive(challenge: str) -> ResponseReturnValue:
    back_to_app = access_denied(
        clients().hydra.reject_login_request, challenge, "The account is disabled."
    )
    DECISIONS.labels("login", "reject_inactive").inc()
    return render_error(
        403,
        _l("Your account is disabled"),
        _l(
            "You cannot sign in with this account. Please contact %(contact)s.",
            contact=current_settings().admin_contact,
        ),
        return_url=back_to_app,
    )


def _accept(challenge: str, **fields: Any) -> ResponseReturnValue:
    target = next_url(
        lambda: clients().hydra.accept_login_request(challenge, AcceptLogin(**fields)), challenge
    )
    DECISIONS.labels("login", "accept").inc()
    return redirect(target, code=303)


def hydra_login(raw_challenge: str | None) -> ResponseReturnValue:
    challenge = checked_challenge(raw_challenge)
    login_request = fetch(clients().hydra.get_login_request, challenge)
    refuse_if_finished(challenge, login_request.request_url)
    seen(challenge, login_request.request_url)
    settings = current_settings()
    here = f"{settings.public_url}/auth/login?login_challenge={quote(challenge, safe='')}"

    if login_request.skip:
        # Hydra remembers this browser; still refuse identities that were disabled since.
        try:
            with calling("kratos"):
                identity = clients().kratos_admin.get_identity(login_request.subject)
        except NotFound:
            return _reject_inactive(challenge)
        if identity.state != "active":  # inactive, or a state we do not know: refuse
            return _reject_inactive(challenge)
        log.info("login_skipped", subject=login_request.subject)
        return _accept(challenge, subject=login_request.subject)

    state = current_session()
    if isinstance(state, SecondFactorRequired):
        DECISIONS.labels("login", "second_factor").inc()
        return redirect(kratos_browser_url("login", aal="aal2", return_to=here), code=303)
    if state is None:
        DECISIONS.labels("login", "kratos_login").inc()
        return redirect(kratos_browser_url("login", return_to=here), code=303)
    if state.identity_state != "active":
        return _reject_inactive(challenge)
    if _needs_fresh_login(challenge, login_request, state):
        session[REAUTH_KEY] = {"c": challenge_key(challenge), "t": clock.now()}
        DECISIONS.labels("login", "refresh").inc()
        return redirect(kratos_browser_url("login", refresh=True, return_to=here), code=303)
    session.pop(REAUTH_KEY, None)

    log.info("login_accepted", subject=state.identity_id, aal=state.aal)
    return _accept(
        challenge,
        subject=state.identity_id,
        remember=True,
        remember_for=settings.remember_for,
        identity_provider_session_id=state.session_id,
        amr=amr_for(state.methods),
        acr=state.aal,
    )
