"""/auth/logout and /auth/logged-out: end the Hydra and the Kratos session together.

With a logout_challenge (an app asked Hydra to log out): confirm unless the client skips logout
consent, accept at Hydra, and end the browser's Kratos session. Without one (our own "sign out"
link): confirm, end the Kratos session, then let Hydra end its session too.
"""

from __future__ import annotations

import httpx
import structlog
from flask import Blueprint, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from stackspin_clients.errors import NotFound, Unauthorized
from stackspin_clients.models import LogoutRequest
from werkzeug.wrappers import Response

from login_service import clock
from login_service.clients import calling, clients
from login_service.config import current_settings
from login_service.errors import DependencyDownError, UnexpectedAnswerError
from login_service.headers import allow_form_targets
from login_service.hydra.app_names import shown_app_name
from login_service.hydra.challenges import checked_challenge, fetch, hydra_request, next_url
from login_service.kratos_session import (
    KRATOS_SESSION_COOKIE,
    BrowserSession,
    SecondFactorRequired,
    browser_cookie,
    current_session,
)
from login_service.lazy_text import lazy_text as _l
from login_service.observability import DECISIONS, current_request_id

bp = Blueprint("logout", __name__)
log = structlog.get_logger(__name__)

# Set when the person confirmed on our page; Hydra's own round trip then needs no second "yes".
CONFIRMED_KEY = "logout_confirmed_at"
CONFIRMATION_TTL = 120


def _skips_consent(logout_request: LogoutRequest) -> bool:
    return bool(logout_request.client and logout_request.client.skip_logout_consent)


def _recently_confirmed() -> bool:
    confirmed = session.get(CONFIRMED_KEY)
    return isinstance(confirmed, int | float) and clock.now() - confirmed < CONFIRMATION_TTL


def end_kratos_session() -> None:
    """Revoke the browser's Kratos session, so no app can skip the password afterwards."""
    state = current_session()
    if isinstance(state, BrowserSession):
        try:
            with calling("kratos"):
                clients().kratos_admin.disable_session(state.session_id)
        except NotFound:
            pass  # already gone: that is what we wanted
        log.info("kratos_session_ended", subject=state.identity_id)
    elif isinstance(state, SecondFactorRequired):
        # whoami hides the id of a session that still owes its second factor; Kratos's own
        # logout (token + the browser's cookie) ends it.
        _logout_half_signed_in()


def _logout_half_signed_in() -> None:
    cookie = browser_cookie()
    try:
        with calling("kratos"):
            flow = clients().kratos.create_browser_logout_flow(cookie=cookie)
    except Unauthorized:
        return
    settings = current_settings()
    headers = {"Cookie": cookie or "", "Accept": "application/json"}
    if request_id := current_request_id():
        headers["X-Request-ID"] = request_id
    try:
        # stackspin_clients has no call for this browser-side step; same host, same cookie.
        response = httpx.get(
            f"{settings.kratos_public_url}/self-service/logout",
            params={"token": flow.logout_token},
            headers=headers,
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
        )
    except httpx.HTTPError as exc:
        raise DependencyDownError("kratos", f"logout failed: {type(exc).__name__}") from exc
    if response.status_code >= 500:
        raise DependencyDownError("kratos", f"logout answered {response.status_code}")
    if response.status_code >= 400 and response.status_code != 401:
        # The session may still be alive: do not tell Hydra the person is logged out.
        raise UnexpectedAnswerError("kratos", f"logout answered {response.status_code}")
    log.info("kratos_session_ended", aal="aal1")


def _forget_kratos_cookie(response: Response) -> Response:
    response.delete_cookie(KRATOS_SESSION_COOKIE, path="/")
    return response


def _accept(challenge: str) -> Response:
    end_kratos_session()
    target = next_url(lambda: clients().hydra.accept_logout_request(challenge))
    session.pop(CONFIRMED_KEY, None)
    DECISIONS.labels("logout", "accept").inc()
    return _forget_kratos_cookie(redirect(target, code=303))


@bp.get("/auth/logout")
def logout() -> ResponseReturnValue:
    if "logout_challenge" not in request.args:
        return render_template("logout.html", title=_l("Sign out"), challenge=None, app_name=None)
    challenge = checked_challenge(request.args.get("logout_challenge"))
    logout_request = fetch(clients().hydra.get_logout_request, challenge)
    if _skips_consent(logout_request) or _recently_confirmed():
        return _accept(challenge)
    client = logout_request.client
    app_name = shown_app_name(client=client, subject=logout_request.subject)
    # Signing out ends, through Hydra, at one of the app's post-logout URIs (or ours).
    allow_form_targets(client.post_logout_redirect_uris if client else None)
    return render_template(
        "logout.html", title=_l("Sign out"), challenge=challenge, app_name=app_name
    )


@bp.post("/auth/logout")
def logout_answer() -> ResponseReturnValue:
    raw = request.form.get("logout_challenge")
    confirmed = request.form.get("action") == "logout"
    if raw:
        challenge = checked_challenge(raw)
        fetch(clients().hydra.get_logout_request, challenge)
        if confirmed:
            return _accept(challenge)
        with hydra_request():
            clients().hydra.reject_logout_request(challenge)
        DECISIONS.labels("logout", "cancelled").inc()
        return redirect(url_for("login.login"), code=303)
    if not confirmed:
        return redirect(url_for("login.login"), code=303)
    end_kratos_session()
    session[CONFIRMED_KEY] = clock.now()
    # Hydra ends its own login session and comes back with a challenge (accepted above), or,
    # with no Hydra session in this browser, goes straight to its post-logout URL.
    target = f"{current_settings().hydra_public_base}/oauth2/sessions/logout"
    return _forget_kratos_cookie(redirect(target, code=303))


@bp.get("/auth/logged-out")
def logged_out() -> ResponseReturnValue:
    return render_template("logged_out.html", title=_l("You are signed out"))
