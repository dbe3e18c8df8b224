"""The three steps every Kratos page follows: no flow → let Kratos start one; fetch the flow
with the browser's cookies (and pass Kratos's Set-Cookie back); render its nodes."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import structlog
from flask import flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from stackspin_clients.errors import (
    BrowserLocationChangeRequired,
    Forbidden,
    Gone,
    NotFound,
    OryError,
    Unauthorized,
    ValidationFailed,
)
from stackspin_clients.models.kratos import Flow, FlowKind

from login_service.clients import calling, clients
from login_service.config import Settings, current_settings, origin_of
from login_service.errors import render_error
from login_service.headers import leave_form_action_open
from login_service.i18n import current_language
from login_service.kratos_session import (
    BrowserSession,
    browser_cookie,
    current_session,
    kratos_browser_url,
    kratos_redirect,
)
from login_service.lazy_text import lazy_text as _l
from login_service.render.nodes import FlowView, flow_view, mark_new_passwords
from login_service.return_urls import safe_return_url

log = structlog.get_logger(__name__)

_FLOW_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
# "You successfully recovered your account…": settings must ask for a new password first.
RECOVERED_MESSAGE = 1060001

TITLES: dict[str, Any] = {
    "login": _l("Sign in"),
    "registration": _l("Create an account"),
    "recovery": _l("Recover your account"),
    "verification": _l("Verify your email address"),
    "settings": _l("Account settings"),
}

CSRF_ERRORS = frozenset({"security_csrf_violation", "csrf_violation"})
WELCOME_TITLE = _l("Welcome, choose a password")
# Forms whose submission may make Kratos mail: they carry the page's language to its templates.
MAILING_KINDS = frozenset({"recovery", "verification", "settings"})


def _invitation_recovery_flow(kind: str, flow_id: str, flow: Flow) -> str | None:
    """The recovery flow an invitation's code belongs to: this recovery page's own, or for a
    settings page the one Kratos opened it from (its request_url is that code's submission)."""
    if kind == "recovery":
        return flow_id
    if kind != "settings" or not flow.request_url:
        return None
    source = urlsplit(flow.request_url)
    if not source.path.endswith("/self-service/recovery"):
        return None
    values = parse_qs(source.query).get("flow") or []
    return values[0] if values and _FLOW_ID.fullmatch(values[0]) else None


def _is_invitation(kind: str, flow_id: str, flow: Flow) -> bool:
    """Ask dashboard-api whether this page belongs to an invitation; on the settings page that
    also accepts it (the address is verified before the password is chosen, so Kratos mails no
    verification code after). Only the wording depends on it: dashboard-api down → the plain
    recovery pages."""
    recovery_flow = _invitation_recovery_flow(kind, flow_id, flow)
    if recovery_flow is None:
        return False
    try:
        found = clients().dashboard.invitation_welcome(recovery_flow, accept=kind == "settings")
    except NotFound:
        return False
    except OryError as exc:
        log.warning("invitation_lookup_failed", kind=kind, error=type(exc).__name__)
        return False
    return found.state in ("pending", "accepted")


def restart(kind: FlowKind) -> ResponseReturnValue:
    """Send the browser to Kratos to create a fresh `kind` flow (it answers 303 back here)."""
    settings = current_settings()
    return_to = safe_return_url(request.args.get("return_to"), settings)
    signed_in = kind == "settings" and isinstance(current_session(), BrowserSession)
    if return_to is None and kind == "settings" and not signed_in:
        # Signed out (or a second factor due), Kratos sends the browser to sign in first and
        # on to return_to after; signed in, none: a settings flow's return_to would send the
        # browser away from its "saved" banner after every save.
        return_to = f"{settings.public_url.rstrip('/')}{url_for('flows.page', kind='settings')}"
    return redirect(kratos_browser_url(kind, return_to=return_to), code=303)


def csrf_page(kind: str | None) -> ResponseReturnValue:
    retry = url_for("flows.page", kind=kind) if kind in TITLES and kind != "login" else None
    return render_error(
        403,
        _l("Your session check failed"),
        _l(
            "For your security the form could not be accepted: it was opened in another "
            "browser window, your cookies were cleared, or it was sent twice. "
            "Please start again."
        ),
        retry_url=retry or url_for("login.login"),
        template="csrf_error.html",
    )


def _flow_links(kind: str, flow: Flow) -> dict[str, str | None]:
    settings = current_settings()
    links: dict[str, str | None] = {}
    if kind == "login":
        links["recovery"] = url_for("flows.page", kind="recovery")
        links["registration"] = (
            url_for("flows.page", kind="registration") if settings.registration_enabled else None
        )
        if flow.requested_aal == "aal2" or flow.refresh:
            links["logout"] = url_for("logout.logout")
    elif kind in ("registration", "recovery", "verification"):
        links["login"] = url_for("login.login")
    elif kind == "settings":
        links["logout"] = url_for("logout.logout")
    return links


def render_flow_page(kind: FlowKind) -> ResponseReturnValue:
    flow_id = request.args.get("flow")
    if not flow_id or not _FLOW_ID.fullmatch(flow_id):
        return restart(kind)
    try:
        with calling("kratos"):
            result = clients().kratos.get_flow(kind, flow_id, cookie=browser_cookie())
    except Gone as exc:
        fresh = exc.use_flow_id if exc.use_flow_id and _FLOW_ID.fullmatch(exc.use_flow_id) else None
        if fresh:
            return redirect(f"{request.path}?{urlencode({'flow': fresh})}", code=303)
        log.info("flow_restarted", kind=kind, reason="expired")
        flash(gettext("That page had expired, so we opened a fresh one. Please try again."), "info")
        return restart(kind)
    except (NotFound, ValidationFailed):
        log.info("flow_restarted", kind=kind, reason="unknown")
        flash(gettext("That page could not be found any more. Please try again."), "info")
        return restart(kind)
    except Forbidden as exc:
        if exc.error_id in CSRF_ERRORS:
            log.info("flow_csrf_violation", kind=kind)
            return _with_cookies(csrf_page(kind), exc.set_cookies)
        if exc.error_id == "security_identity_mismatch":
            return restart(kind)  # a flow of another person (shared browser): start afresh
        if exc.redirect_browser_to:
            return redirect(kratos_redirect(exc.redirect_browser_to), code=303)
        raise
    except Unauthorized:
        # Settings without a session: Kratos's settings flow sends the browser to login first.
        return restart(kind)
    except BrowserLocationChangeRequired as exc:
        if exc.redirect_browser_to:
            return redirect(kratos_redirect(exc.redirect_browser_to), code=303)
        raise

    flow = result.flow
    messages = {m.id for m in flow.ui.messages or []}
    invited = kind in ("recovery", "settings") and _is_invitation(kind, flow_id, flow)
    recovered = kind == "settings" and (RECOVERED_MESSAGE in messages or invited)
    ui = flow.ui
    if invited and kind == "settings":
        # Ours says "welcome" instead of Kratos's "your account is recovered, change it".
        kept = [m for m in ui.messages or [] if m.id != RECOVERED_MESSAGE]
        ui = ui.model_copy(update={"messages": kept})
    verification = verification_stage(flow) if kind == "verification" else None
    view: FlowView = flow_view(
        ui,
        kratos_origin=origin_of(current_settings().kratos_browser_url),
        only_groups=frozenset({"password"}) if recovered else None,
    )
    if kind in ("settings", "registration"):
        mark_new_passwords(view, password_rules(current_settings()))
    if kind in ("login", "registration"):
        # Kratos → our login → Hydra → consent → whichever app asked: any origin.
        leave_form_action_open()
    title = TITLES[kind]
    if kind == "login" and flow.requested_aal == "aal2":
        title = _l("Second factor")
    elif kind == "login" and flow.refresh:
        title = _l("Confirm it is you")
    elif invited:
        title = WELCOME_TITLE
    elif verification == "verified":
        title = _l("Your email address is verified")
    response = make_response(
        render_template(
            "flow.html",
            kind=kind,
            title=title,
            view=view,
            flow=flow,
            recovered=recovered,
            invited=invited,
            # Kratos passes it to the mail templates (deploy/ory/courier-templates).
            transient_payload=json.dumps({"language": current_language()})
            if kind in MAILING_KINDS
            else None,
            verification=verification,
            links=_flow_links(kind, flow),
        )
    )
    return _with_cookies(response, result.set_cookies)


def password_rules(settings: Settings) -> str:
    """Kratos's password rules in words, from the settings that mirror its config."""
    rules = [_l("At least %(count)s characters.", count=settings.password_min_length)]
    if settings.password_identifier_similarity_check:
        rules.append(_l("Not too similar to your email address or username."))
    if settings.password_breach_check:
        rules.append(_l("Not one that appeared in a known data breach."))
    return " ".join(str(rule) for rule in rules)


def verification_stage(flow: Flow) -> str | None:
    """ "verified" once the address is; "from_link" when the mailed link filled the code in.

    Kratos never spends a code on the link's GET (mail scanners follow links): it fills the
    code into the form and binds the flow to the browser that opened it, a phone included.
    """
    if flow.state == "passed_challenge":
        return "verified"
    if flow.state == "sent_email":
        for node in flow.ui.nodes:
            if node.attributes.get("name") == "code" and node.attributes.get("value"):
                return "from_link"
    return None


def _with_cookies(response: ResponseReturnValue, set_cookies: list[str]) -> ResponseReturnValue:
    """Kratos's Set-Cookie headers (CSRF and session cookies) go back to the browser as they are."""
    if set_cookies:
        response = make_response(response)
        for cookie in set_cookies:
            response.headers.add("Set-Cookie", cookie)
    return response
