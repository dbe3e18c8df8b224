"""/auth/consent: dashboard-api decides who may use which app; Hydra gets the answer.

Not allowed → reject (access_denied) and say which app refused and whom to ask. A trusted app or
a remembered consent → accept without a screen. Otherwise ask, listing the scopes in plain words.
The decision is asked again on every request, remembered or not, so a removed role takes effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import structlog
from flask import Blueprint, redirect, render_template, request
from flask.typing import ResponseReturnValue
from stackspin_clients.claims import identity_claims as claims_of
from stackspin_clients.errors import NotFound, Unauthorized
from stackspin_clients.models import AcceptConsent, ConsentRequest, ConsentSessionData

from login_service.clients import calling, clients
from login_service.config import current_settings
from login_service.errors import DependencyDownError, UnexpectedAnswerError, render_error
from login_service.headers import allow_form_targets
from login_service.hydra.challenges import (
    access_denied,
    checked_challenge,
    fetch,
    next_url,
    refuse_if_finished,
    seen,
)
from login_service.lazy_text import lazy_text as _l
from login_service.observability import DECISIONS

bp = Blueprint("consent", __name__)
log = structlog.get_logger(__name__)

SCOPE_DESCRIPTIONS: dict[str, Any] = {
    "openid": _l("Know that it is you (your account id)"),
    "profile": _l("Your name and username"),
    "email": _l("Your email address"),
    "offline_access": _l("Stay connected while you are not using the app"),
    "offline": _l("Stay connected while you are not using the app"),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    app_name: str
    app_url: str | None
    trusted: bool
    claims: dict[str, Any]
    reason: str | None
    identity_claims: dict[str, Any] | None = None


def consent_decision(consent_request: ConsentRequest) -> Decision:
    """Ask dashboard-api; a client linked to no app is refused (fail closed)."""
    if not consent_request.subject:
        raise UnexpectedAnswerError("hydra", "consent request without a subject")
    client = consent_request.client
    client_id = (client.client_id if client else None) or ""
    client_name = (client.client_name if client else None) or client_id
    try:
        with calling("dashboard-api"):
            decision = clients().dashboard.consent_decision(consent_request.subject, client_id)
    except NotFound:
        return Decision(False, client_name, None, False, {}, "unknown_app")
    except Unauthorized as exc:
        # Our internal token is wrong: an operator problem; nobody gets in meanwhile.
        raise DependencyDownError("dashboard-api", "internal token refused") from exc
    app = decision.app
    return Decision(
        allowed=decision.allowed,
        app_name=(app.name if app else None) or client_name,
        app_url=app.url if app else None,
        trusted=app.trusted if app else False,
        claims=dict(decision.claims),
        reason=decision.reason,
        identity_claims=decision.identity_claims,
    )


def identity_claims(subject: str, decision: Decision) -> dict[str, Any]:
    """email, email_verified, name and preferred_username: the decision's, or Kratos's when a
    dashboard-api of an earlier version left them out."""
    if decision.identity_claims is not None:
        return dict(decision.identity_claims)
    with calling("kratos"):
        return claims_of(clients().kratos_admin.get_identity(subject))


def _accept(
    challenge: str, consent_request: ConsentRequest, decision: Decision, *, remember: bool | None
) -> ResponseReturnValue:
    # consent_decision() has refused a request without subject before we get here.
    subject = str(consent_request.subject)
    # The app's extra claims first, so they can never overwrite the identity's own claims.
    id_token = {**decision.claims, **identity_claims(subject, decision)}
    body: dict[str, Any] = {
        "grant_scope": list(consent_request.requested_scope),
        "grant_access_token_audience": list(consent_request.requested_access_token_audience),
        "session": ConsentSessionData(id_token=id_token, access_token={}),
    }
    if remember is not None:
        body["remember"] = remember
        body["remember_for"] = current_settings().consent_remember_for if remember else 0
    target = next_url(
        lambda: clients().hydra.accept_consent_request(challenge, AcceptConsent(**body)),
        challenge,
    )
    DECISIONS.labels("consent", "accept").inc()
    return redirect(target, code=303)


def _refuse(challenge: str, decision: Decision) -> ResponseReturnValue:
    back_to_app = access_denied(
        clients().hydra.reject_consent_request,
        challenge,
        f"Access to {decision.app_name} is not allowed.",
    )
    DECISIONS.labels("consent", "reject").inc()
    log.info("consent_rejected", reason=decision.reason)
    return render_error(
        403,
        _l("You do not have access to %(app)s", app=decision.app_name),
        _denial_reason(decision),
        template="consent_denied.html",
        app_name=decision.app_name,
        contact=current_settings().admin_contact,
        return_url=back_to_app,
    )


def _denial_reason(decision: Decision) -> Any:
    if decision.reason == "user_inactive":
        return _l("Your account is disabled.")
    if decision.reason == "unknown_app":
        return _l("This app is not registered with %(site)s.", site=current_settings().site_name)
    return _l("You have not been given access to this app.")


def _load(raw_challenge: str | None) -> tuple[str, ConsentRequest, Decision]:
    challenge = checked_challenge(raw_challenge)
    consent_request = fetch(clients().hydra.get_consent_request, challenge)
    refuse_if_finished(challenge, consent_request.request_url)
    seen(challenge, consent_request.request_url)
    return challenge, consent_request, consent_decision(consent_request)


@bp.get("/auth/consent")
def consent() -> ResponseReturnValue:
    challenge, consent_request, decision = _load(request.args.get("consent_challenge"))
    if not decision.allowed:
        return _refuse(challenge, decision)
    if decision.trusted:
        return _accept(challenge, consent_request, decision, remember=False)
    if consent_request.skip:
        return _accept(challenge, consent_request, decision, remember=None)
    scopes = list(consent_request.requested_scope)
    # Allow and Deny both end, through Hydra, at one of the app's redirect URIs.
    allow_form_targets(consent_request.client.redirect_uris if consent_request.client else None)
    return render_template(
        "consent.html",
        title=_l("Allow %(app)s?", app=decision.app_name),
        challenge=challenge,
        app_name=decision.app_name,
        app_url=decision.app_url,
        scopes=[(s, SCOPE_DESCRIPTIONS.get(s) or s) for s in scopes],
    )


@bp.post("/auth/consent")
def consent_answer() -> ResponseReturnValue:
    challenge, consent_request, decision = _load(request.form.get("consent_challenge"))
    if not decision.allowed:
        return _refuse(challenge, decision)
    if request.form.get("action") != "accept":
        target = access_denied(
            clients().hydra.reject_consent_request, challenge, "The user declined."
        )
        DECISIONS.labels("consent", "declined").inc()
        return redirect(target, code=303)
    remember = request.form.get("remember") in ("1", "true", "on", "y")
    return _accept(challenge, consent_request, decision, remember=remember)
