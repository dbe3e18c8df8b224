"""Models of the Ory Hydra admin API (v25.4.0) for the fields this project uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from stackspin_clients.models.base import WireModel


class OAuth2Client(WireModel):
    """An OAuth 2.0 / OpenID Connect client registered in Hydra.

    ``client_secret`` is only returned by Hydra when the client is created (or its
    secret is set); listing or reading a client never shows it.
    """

    client_id: str | None = None
    client_name: str | None = None
    client_secret: str | None = None
    client_uri: str | None = None
    logo_uri: str | None = None
    owner: str | None = None
    redirect_uris: list[str] | None = None
    post_logout_redirect_uris: list[str] | None = None
    grant_types: list[str] | None = None
    response_types: list[str] | None = None
    scope: str | None = None
    audience: list[str] | None = None
    token_endpoint_auth_method: str | None = None
    subject_type: str | None = None
    skip_consent: bool | None = None
    skip_logout_consent: bool | None = None
    frontchannel_logout_uri: str | None = None
    backchannel_logout_uri: str | None = None
    metadata: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class OAuth2ClientPage(WireModel):
    """One page of ``GET /admin/clients``; ``next_page_token`` is None on the last page."""

    clients: list[OAuth2Client]
    next_page_token: str | None = None


class LoginRequest(WireModel):
    """``GET /admin/oauth2/auth/requests/login``: the login Hydra asks us to perform."""

    challenge: str
    client: OAuth2Client
    request_url: str
    skip: bool
    subject: str
    requested_scope: list[str] = Field(default_factory=list)
    requested_access_token_audience: list[str] = Field(default_factory=list)
    session_id: str | None = None
    oidc_context: dict[str, Any] | None = None


class ConsentRequest(WireModel):
    """``GET /admin/oauth2/auth/requests/consent``: the consent Hydra asks us to decide."""

    challenge: str
    client: OAuth2Client | None = None
    request_url: str | None = None
    skip: bool | None = None
    subject: str | None = None
    requested_scope: list[str] = Field(default_factory=list)
    requested_access_token_audience: list[str] = Field(default_factory=list)
    acr: str | None = None
    amr: list[str] | None = None
    context: Any = None
    login_challenge: str | None = None
    login_session_id: str | None = None
    consent_request_id: str | None = None
    oidc_context: dict[str, Any] | None = None


class LogoutRequest(WireModel):
    """``GET /admin/oauth2/auth/requests/logout``: an RP- or Hydra-initiated logout."""

    challenge: str | None = None
    subject: str | None = None
    sid: str | None = None
    request_url: str | None = None
    rp_initiated: bool | None = None
    client: OAuth2Client | None = None
    expires_at: datetime | None = None
    requested_at: datetime | None = None


class RedirectTo(WireModel):
    """Where to send the browser next (answer of every accept/reject call)."""

    redirect_to: str


class AcceptLogin(WireModel):
    """Body of ``PUT /admin/oauth2/auth/requests/login/accept``.

    ``remember_for=0`` with ``remember=True`` means "for the browser session".
    """

    subject: str
    remember: bool | None = None
    remember_for: int | None = None
    acr: str | None = None
    amr: list[str] | None = None
    context: Any = None
    identity_provider_session_id: str | None = None
    extend_session_lifespan: bool | None = None
    force_subject_identifier: str | None = None


class ConsentSessionData(WireModel):
    """Claims to put into the ID token and the access token."""

    id_token: dict[str, Any] = Field(default_factory=dict)
    access_token: dict[str, Any] = Field(default_factory=dict)


class AcceptConsent(WireModel):
    """Body of ``PUT /admin/oauth2/auth/requests/consent/accept``.

    ``remember_for=0`` with ``remember=True`` means "forever" here (unlike login).
    """

    grant_scope: list[str] = Field(default_factory=list)
    grant_access_token_audience: list[str] = Field(default_factory=list)
    remember: bool | None = None
    remember_for: int | None = None
    session: ConsentSessionData | None = None
    context: Any = None


class RejectRequest(WireModel):
    """Body of the login/consent reject calls (an OAuth 2.0 error for the client)."""

    error: str = "access_denied"
    error_description: str | None = None
    error_hint: str | None = None
    error_debug: str | None = None
    status_code: int | None = None


class PreviousConsentSession(WireModel):
    """One remembered consent of a subject (``GET /admin/oauth2/auth/sessions/consent``)."""

    consent_request: ConsentRequest | None = None
    consent_request_id: str | None = None
    grant_scope: list[str] = Field(default_factory=list)
    grant_access_token_audience: list[str] = Field(default_factory=list)
    remember: bool | None = None
    remember_for: int | None = None
    handled_at: datetime | None = None
    session: ConsentSessionData | None = None
    context: Any = None


class IntrospectedToken(WireModel):
    """Answer of ``POST /admin/oauth2/introspect``; only ``active`` is always present."""

    active: bool
    scope: str | None = None
    client_id: str | None = None
    sub: str | None = None
    exp: int | None = None
    iat: int | None = None
    nbf: int | None = None
    aud: list[str] | None = None
    iss: str | None = None
    token_type: str | None = None
    token_use: str | None = None
    username: str | None = None
    obfuscated_subject: str | None = None
    ext: dict[str, Any] | None = None
