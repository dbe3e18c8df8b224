"""Operations of the Ory Hydra admin API (``/admin/...``)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from stackspin_clients.models.hydra import (
    AcceptConsent,
    AcceptLogin,
    ConsentRequest,
    IntrospectedToken,
    LoginRequest,
    LogoutRequest,
    OAuth2Client,
    PreviousConsentSession,
    RedirectTo,
    RejectRequest,
)
from stackspin_clients.models.kratos import JsonPatch
from stackspin_clients.operation import (
    Operation,
    Page,
    parse_model,
    parse_nothing,
    parse_page,
)

_REQUESTS = "/admin/oauth2/auth/requests"


def _client_path(client_id: str) -> str:
    return f"/admin/clients/{quote(client_id, safe='')}"


def get_login_request(challenge: str) -> Operation[LoginRequest]:
    """``GET /admin/oauth2/auth/requests/login``."""
    return Operation(
        "GET", f"{_REQUESTS}/login", parse_model(LoginRequest), {"login_challenge": challenge}
    )


def accept_login_request(challenge: str, body: AcceptLogin) -> Operation[RedirectTo]:
    """``PUT /admin/oauth2/auth/requests/login/accept``."""
    return Operation(
        "PUT",
        f"{_REQUESTS}/login/accept",
        parse_model(RedirectTo),
        {"login_challenge": challenge},
        json=body.to_wire(),
    )


def reject_login_request(challenge: str, body: RejectRequest) -> Operation[RedirectTo]:
    """``PUT /admin/oauth2/auth/requests/login/reject``."""
    return Operation(
        "PUT",
        f"{_REQUESTS}/login/reject",
        parse_model(RedirectTo),
        {"login_challenge": challenge},
        json=body.to_wire(),
    )


def get_consent_request(challenge: str) -> Operation[ConsentRequest]:
    """``GET /admin/oauth2/auth/requests/consent``."""
    return Operation(
        "GET",
        f"{_REQUESTS}/consent",
        parse_model(ConsentRequest),
        {"consent_challenge": challenge},
    )


def accept_consent_request(challenge: str, body: AcceptConsent) -> Operation[RedirectTo]:
    """``PUT /admin/oauth2/auth/requests/consent/accept``."""
    return Operation(
        "PUT",
        f"{_REQUESTS}/consent/accept",
        parse_model(RedirectTo),
        {"consent_challenge": challenge},
        json=body.to_wire(),
    )


def reject_consent_request(challenge: str, body: RejectRequest) -> Operation[RedirectTo]:
    """``PUT /admin/oauth2/auth/requests/consent/reject``."""
    return Operation(
        "PUT",
        f"{_REQUESTS}/consent/reject",
        parse_model(RedirectTo),
        {"consent_challenge": challenge},
        json=body.to_wire(),
    )


def get_logout_request(challenge: str) -> Operation[LogoutRequest]:
    """``GET /admin/oauth2/auth/requests/logout``."""
    return Operation(
        "GET", f"{_REQUESTS}/logout", parse_model(LogoutRequest), {"logout_challenge": challenge}
    )


def accept_logout_request(challenge: str) -> Operation[RedirectTo]:
    """``PUT /admin/oauth2/auth/requests/logout/accept``."""
    return Operation(
        "PUT",
        f"{_REQUESTS}/logout/accept",
        parse_model(RedirectTo),
        {"logout_challenge": challenge},
    )


def reject_logout_request(challenge: str) -> Operation[None]:
    """``PUT /admin/oauth2/auth/requests/logout/reject`` (answers 204)."""
    return Operation(
        "PUT", f"{_REQUESTS}/logout/reject", parse_nothing, {"logout_challenge": challenge}
    )


def list_oauth2_clients(
    page_size: int = 100,
    page_token: str | None = None,
    client_name: str | None = None,
    owner: str | None = None,
) -> Operation[Page[OAuth2Client]]:
    """``GET /admin/clients`` (one page; the Link header names the next)."""
    return Operation(
        "GET",
        "/admin/clients",
        parse_page(OAuth2Client),
        {
            "page_size": page_size,
            "page_token": page_token,
            "client_name": client_name,
            "owner": owner,
        },
    )


def get_oauth2_client(client_id: str) -> Operation[OAuth2Client]:
    """``GET /admin/clients/{id}``."""
    return Operation("GET", _client_path(client_id), parse_model(OAuth2Client))


def create_oauth2_client(client: OAuth2Client) -> Operation[OAuth2Client]:
    """``POST /admin/clients`` (answers 201 with the client, including its secret)."""
    return Operation("POST", "/admin/clients", parse_model(OAuth2Client), json=client.to_wire())


def set_oauth2_client(client_id: str, client: OAuth2Client) -> Operation[OAuth2Client]:
    """``PUT /admin/clients/{id}``: replace the client."""
    return Operation(
        "PUT", _client_path(client_id), parse_model(OAuth2Client), json=client.to_wire()
    )


def patch_oauth2_client(client_id: str, patch: Sequence[JsonPatch]) -> Operation[OAuth2Client]:
    """``PATCH /admin/clients/{id}`` with an RFC 6902 JSON patch."""
    return Operation(
        "PATCH",
        _client_path(client_id),
        parse_model(OAuth2Client),
        json=[p.to_wire() for p in patch],
    )


def delete_oauth2_client(client_id: str) -> Operation[None]:
    """``DELETE /admin/clients/{id}`` (answers 204)."""
    return Operation("DELETE", _client_path(client_id), parse_nothing)


def list_consent_sessions(
    subject: str, page_token: str | None = None, page_size: int = 500
) -> Operation[Page[PreviousConsentSession]]:
    """``GET /admin/oauth2/auth/sessions/consent`` (one page)."""
    return Operation(
        "GET",
        "/admin/oauth2/auth/sessions/consent",
        parse_page(PreviousConsentSession),
        {"subject": subject, "page_size": page_size, "page_token": page_token},
    )


def revoke_consent_sessions(
    subject: str, client: str | None = None, all: bool = True
) -> Operation[None]:
    """``DELETE /admin/oauth2/auth/sessions/consent``: of one client, or of all clients."""
    return Operation(
        "DELETE",
        "/admin/oauth2/auth/sessions/consent",
        parse_nothing,
        {"subject": subject, "client": client, "all": all if client is None else None},
    )


def revoke_login_sessions(subject: str | None = None, sid: str | None = None) -> Operation[None]:
    """``DELETE /admin/oauth2/auth/sessions/login``: by subject or by login session id."""
    if subject is None and sid is None:
        raise ValueError("revoke_login_sessions needs a subject or a sid")
    return Operation(
        "DELETE",
        "/admin/oauth2/auth/sessions/login",
        parse_nothing,
        {"subject": subject, "sid": sid},
    )


def introspect_token(token: str, scope: str | None = None) -> Operation[IntrospectedToken]:
    """``POST /admin/oauth2/introspect`` (form-encoded)."""
    form = {"token": token}
    if scope is not None:
        form["scope"] = scope
    return Operation("POST", "/admin/oauth2/introspect", parse_model(IntrospectedToken), form=form)
