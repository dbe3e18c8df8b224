"""OAuth 2.0 errors as Hydra (fosite) words and codes them.

On the wire Hydra sends only `{"error", "error_description"}`; the description is fosite's
fixed text followed by the hint of the particular failure.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.responses import JSONResponse, RedirectResponse

DESCRIPTIONS: dict[str, tuple[int, str]] = {
    "invalid_request": (
        400,
        "The request is missing a required parameter, includes an invalid parameter value, "
        "includes a parameter more than once, or is otherwise malformed.",
    ),
    "unauthorized_client": (
        400,
        "The client is not authorized to request a token using this method.",
    ),
    "access_denied": (403, "The resource owner or authorization server denied the request."),
    "unsupported_response_type": (
        400,
        "The authorization server does not support obtaining a token using this method.",
    ),
    "invalid_scope": (400, "The requested scope is invalid, unknown, or malformed."),
    "server_error": (
        500,
        "The authorization server encountered an unexpected condition that prevented it from "
        "fulfilling the request.",
    ),
    "invalid_client": (
        401,
        "Client authentication failed (e.g., unknown client, no client authentication included, "
        "or unsupported authentication method).",
    ),
    "invalid_grant": (
        400,
        "The provided authorization grant (e.g., authorization code, resource owner credentials) "
        "or refresh token is invalid, expired, revoked, does not match the redirection URI used "
        "in the authorization request, or was issued to another client.",
    ),
    "unsupported_grant_type": (
        400,
        "The authorization grant type is not supported by the authorization server.",
    ),
    "invalid_state": (
        400,
        "The state is missing or does not have enough characters and is therefore considered "
        "too weak.",
    ),
    "request_unauthorized": (401, "The request could not be authorized."),
    "request_forbidden": (403, "The request is not allowed."),
    "login_required": (400, "The Authorization Server requires End-User authentication."),
    "consent_required": (400, "The Authorization Server requires End-User consent."),
    "invalid_client_metadata": (
        400,
        "The value of one of the Client Metadata fields is invalid and the server has rejected "
        "this request. Note that an Authorization Server MAY choose to substitute a valid value "
        "for any requested parameter of a Client's Metadata.",
    ),
    "invalid_redirect_uri": (400, "The value of one or more redirect_uris is invalid."),
    "insufficient_entropy": (
        400,
        "The request used a security parameter (e.g., anti-replay, anti-csrf) with insufficient "
        "entropy.",
    ),
    "invalid_token": (401, "Token expired. The token expired."),
    "Not Found": (404, "Unable to locate the requested resource"),
    "Conflict": (
        409,
        "Unable to process the requested resource because of conflict in the current state",
    ),
}


NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class OAuthError(Exception):
    """A fosite-style error; `hint` is appended to the standard description."""

    def __init__(
        self,
        error: str,
        hint: str = "",
        *,
        status: int | None = None,
        description: str | None = None,
    ) -> None:
        default_status, default_description = DESCRIPTIONS.get(error, (400, ""))
        self.error = error
        self.status = status or default_status
        base = description if description is not None else default_description
        # fosite turns double quotes into single ones in every description it sends.
        text = f"{base} {hint}".strip() if hint else base
        self.description = text.replace('"', "'")
        super().__init__(f"{error}: {self.description}")

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "error_description": self.description}

    def response(self, headers: dict[str, str] | None = None) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=headers)


def with_query(url: str, params: dict[str, str]) -> str:
    """`url` with `params` added to (or replacing keys of) its query string."""
    parts = urlsplit(url)

    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query.extend(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def redirect_to_client(redirect_uri: str, err: OAuthError, state: str) -> RedirectResponse:
    """fosite's authorize error: 303 to the client's redirect URI with error, description, state."""
    params = {"error": err.error, "error_description": err.description, "state": state}
    return RedirectResponse(with_query(redirect_uri, params), status_code=303, headers=NO_STORE)


def redirect_to_error_url(error_url: str, err: OAuthError) -> RedirectResponse:
    """Hydra's forwardError: 302 to `urls.error` when the client's redirect URI is not trusted."""
    params = {"error": err.error, "error_description": err.description}
    return RedirectResponse(with_query(error_url, params), status_code=302)
