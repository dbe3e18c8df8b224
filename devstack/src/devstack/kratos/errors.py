"""Kratos's error bodies (ory/herodot): `{"error": {id?, code, status, reason?, message}}`."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

# herodot's default messages per status, as real Kratos sends them
_DEFAULT_MESSAGES = {
    400: "The request was malformed or contained invalid parameters",
    401: "The request could not be authorized",
    403: "The requested action was forbidden",
    404: "The requested resource could not be found",
    409: "The resource could not be created due to a conflict",
    410: "The requested resource is no longer available because it has expired or is "
    "otherwise invalid.",
    500: "An internal server error occurred, please contact the system administrator",
}


class KratosError(Exception):
    """An API error carrying its HTTP status, rendered in herodot's shape."""

    def __init__(
        self,
        code: int,
        *,
        reason: str = "",
        message: str | None = None,
        error_id: str | None = None,
        details: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.reason = reason
        self.message = message or _DEFAULT_MESSAGES.get(code, HTTPStatus(code).phrase)
        self.error_id = error_id
        self.details = details
        # top-level fields next to "error" (redirect_browser_to, use_flow_id, ...)
        self.extra = extra or {}
        super().__init__(self.message)

    def inner(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.error_id:
            body["id"] = self.error_id
        body["code"] = self.code
        body["status"] = HTTPStatus(self.code).phrase
        if self.reason:
            body["reason"] = self.reason
        if self.details:
            body["details"] = self.details
        body["message"] = self.message
        return body

    def body(self) -> dict[str, Any]:
        return {"error": self.inner(), **self.extra}


def bad_request(reason: str, *, error_id: str | None = None) -> KratosError:
    return KratosError(400, reason=reason, error_id=error_id)


def not_found(reason: str = "") -> KratosError:
    return KratosError(404, reason=reason, message="Unable to locate the resource", error_id=None)


def conflict(reason: str) -> KratosError:
    return KratosError(409, reason=reason)


_CSRF_DETAILS = {
    "docs": "https://www.ory.sh/kratos/docs/debug/csrf",
    "hint": "The anti-CSRF cookie was found but the CSRF token was not included in the HTTP "
    "request body (csrf_token) nor in the HTTP Header (X-CSRF-Token).",
    "reject_reason": "The HTTP Cookie Header was set and a CSRF token was sent but they do not "
    "match. We recommend deleting all cookies for this domain and retrying the flow.",
}


def csrf_violation() -> KratosError:
    """x/nosurf.go CSRFErrorReason means to name what was missing, but every one of its errors
    derives from ErrInvalidCSRFToken with herodot's WithDetail, which writes into the details
    map they all share: whatever the cause, the details are the last hint and reject_reason
    written at package init (token not sent; token mismatch). Seen so on v1.3.1."""
    return KratosError(
        403,
        error_id="security_csrf_violation",
        message="the request was rejected to protect you from Cross-Site-Request-Forgery",
        reason="Please retry the flow and optionally clear your cookies. The request was "
        "rejected to protect you from Cross-Site-Request-Forgery (CSRF) which could cause "
        "account takeover, leaking personal information, and other serious security issues.",
        details=dict(_CSRF_DETAILS),
    )


def no_active_session() -> KratosError:
    return KratosError(
        401,
        error_id="session_inactive",
        message="request does not have a valid authentication session",
        reason="No active session was found in this request.",
    )


def identity_disabled() -> KratosError:
    return KratosError(401, message="identity is disabled", reason="This account was disabled.")


def aal2_required(redirect_browser_to: str) -> KratosError:
    return KratosError(
        403,
        error_id="session_aal2_required",
        message="Session does not fulfill the requested Authenticator Assurance Level",
        reason="An active session was found but it does not fulfill the requested "
        "Authenticator Assurance Level. Please verify yourself with a second factor to "
        "resolve this issue.",
        extra={"redirect_browser_to": redirect_browser_to},
    )


def return_to_not_allowed(url: str) -> KratosError:
    return KratosError(
        400,
        error_id="self_service_flow_return_to_forbidden",
        reason=f'Requested return_to URL "{url}" is not allowed.',
    )
