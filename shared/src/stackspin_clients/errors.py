"""One exception hierarchy for every failed call, built from the real Ory wire formats.

- Hydra: ``{"error": "...", "error_description": "..."}``; a used or expired challenge
  answers 410 ``{"redirect_to": "..."}``.
- Kratos: ``{"error": {"id", "code", "status", "reason", "message", "details"}}``, a 400 with
  the flow itself (form errors in its ``ui``), a 422 ``{"error": {...}, "redirect_browser_to"}``,
  a 403 ``session_aal2_required`` with ``redirect_browser_to``.
- dashboard-api: RFC 9457 ``application/problem+json`` (``title``, ``detail``).
- A proxy or the network: connection refused, timeouts, a non-JSON 502 page.
"""

# The exception names are part of the public surface (shared/README.md), hence no "Error" suffix.
# ruff: noqa: N818

from __future__ import annotations

import json
from typing import Any

import httpx
from pydantic import ValidationError

from stackspin_clients.models.kratos import Flow

#: How much of a non-JSON body (e.g. a proxy's HTML error page) an error keeps.
SNIPPET_LENGTH = 500


class OryError(Exception):
    """A call to Hydra, Kratos or dashboard-api failed.

    ``status`` is the HTTP status (None when no answer came), ``body`` the parsed JSON
    (or a snippet of the text), ``error_id`` Kratos's ``error.id`` or Hydra's ``error``,
    ``message`` a human-readable reason, ``set_cookies`` any Set-Cookie headers of the answer.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        body: Any = None,
        error_id: str | None = None,
        set_cookies: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body
        self.error_id = error_id
        self.set_cookies = set_cookies or []

    def __str__(self) -> str:
        if self.error_id and self.error_id not in self.message:
            return f"{self.message} ({self.error_id})"
        return self.message


class ServiceUnavailable(OryError):
    """No usable answer: connection failed, timed out, a 5xx, or a proxy's non-JSON page."""


class NotFound(OryError):
    """404: the identity, client, flow, session ... does not exist."""


class Conflict(OryError):
    """409: e.g. an identity with this email or a client with this id already exists."""


class Unauthorized(OryError):
    """401: no (valid) session, token or credentials."""


class Gone(OryError):
    """410: a Hydra challenge already used or expired, or an expired Kratos flow.

    ``redirect_to`` (Hydra) is where to send the browser instead; ``use_flow_id`` (Kratos)
    is the id of the replacement flow when Kratos names one.
    """

    def __init__(
        self,
        message: str,
        *,
        redirect_to: str | None = None,
        use_flow_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.redirect_to = redirect_to
        self.use_flow_id = use_flow_id


class ValidationFailed(OryError):
    """400: the request was refused; ``flow`` is the Kratos flow with its messages, if sent."""

    def __init__(self, message: str, *, flow: Flow | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.flow = flow


class Forbidden(OryError):
    """403: e.g. ``security_csrf_violation`` or ``session_aal2_required``.

    ``redirect_browser_to`` is where Kratos wants the browser to go (e.g. the 2FA login).
    """

    def __init__(
        self, message: str, *, redirect_browser_to: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.redirect_browser_to = redirect_browser_to


class BrowserLocationChangeRequired(OryError):
    """422: the browser must go to ``redirect_browser_to`` (Kratos JSON flows)."""

    def __init__(
        self, message: str, *, redirect_browser_to: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.redirect_browser_to = redirect_browser_to


_BY_STATUS: dict[int, type[OryError]] = {
    400: ValidationFailed,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    410: Gone,
    422: BrowserLocationChangeRequired,
}


def _decode_body(response: httpx.Response) -> tuple[Any, bool]:
    """The JSON body, or a text snippet; the flag says whether it was JSON."""
    try:
        return response.json(), True
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text[:SNIPPET_LENGTH], False


def _describe(body: Any) -> tuple[str | None, str | None, dict[str, Any]]:
    """(error_id, message, details) from a Hydra, Kratos or problem+json body."""
    if not isinstance(body, dict):
        return None, None, {}
    error = body.get("error")
    if isinstance(error, dict):  # Kratos generic error
        details = error.get("details")
        message = error.get("reason") or error.get("message")
        return (
            _str_or_none(error.get("id")),
            _str_or_none(message),
            details if isinstance(details, dict) else {},
        )
    if isinstance(error, str):  # Hydra / OAuth 2.0 error
        return error, _str_or_none(body.get("error_description")) or error, {}
    if "title" in body or "detail" in body:  # RFC 9457 problem+json
        return None, _str_or_none(body.get("detail") or body.get("title")), {}
    if set(body) == {"redirect_to"}:  # Hydra: challenge used or expired
        return None, "the challenge was already used or has expired", {}
    ui = body.get("ui")
    if isinstance(ui, dict) and "id" in body:  # a Kratos flow whose ui carries the messages
        messages = ui.get("messages")
        texts = [m.get("text") for m in messages or [] if isinstance(m, dict)]
        return None, "; ".join(t for t in texts if isinstance(t, str) and t) or None, {}
    return None, None, {}


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def error_from_response(response: httpx.Response) -> OryError:
    """Turn a non-2xx answer into the matching typed exception, keeping the useful fields."""
    status = response.status_code
    body, is_json = _decode_body(response)
    error_id, message, details = _describe(body)
    where = f"{response.request.method} {response.request.url.path}"
    common: dict[str, Any] = {
        "status": status,
        "body": body,
        "error_id": error_id,
        "set_cookies": response.headers.get_list("set-cookie"),
    }
    if status >= 500:
        if is_json:
            reason = message or response.reason_phrase
        else:
            reason = f"non-JSON answer: {body.strip()[:200]!r}" if body else "empty answer"
        return ServiceUnavailable(f"{where} answered {status}: {reason}", **common)
    text = f"{where} answered {status}: {message or response.reason_phrase}"
    if 300 <= status < 400:
        location = response.headers.get("location")
        return OryError(f"{where} redirected ({status}) to {location}", **common)
    cls = _BY_STATUS.get(status, OryError)
    if cls is ValidationFailed:
        return ValidationFailed(text, flow=_flow_or_none(body), **common)
    if cls is Gone:
        body_dict = body if isinstance(body, dict) else {}
        return Gone(
            text,
            redirect_to=_str_or_none(body_dict.get("redirect_to")),
            use_flow_id=_str_or_none(body_dict.get("use_flow_id"))
            or _str_or_none(details.get("use_flow_id")),
            **common,
        )
    if cls is Forbidden or cls is BrowserLocationChangeRequired:
        body_dict = body if isinstance(body, dict) else {}
        redirect = _str_or_none(body_dict.get("redirect_browser_to")) or _str_or_none(
            details.get("redirect_browser_to")
        )
        return cls(text, redirect_browser_to=redirect, **common)
    return cls(text, **common)


def _flow_or_none(body: Any) -> Flow | None:
    if not (isinstance(body, dict) and "ui" in body and "id" in body):
        return None
    try:
        return Flow.model_validate(body)
    except ValidationError:
        return None


def error_from_transport(request: httpx.Request, exc: httpx.RequestError) -> ServiceUnavailable:
    """Turn a network failure (refused, reset, timeout) into ServiceUnavailable."""
    if isinstance(exc, httpx.TimeoutException):
        what = "timed out"
    elif isinstance(exc, httpx.ConnectError):
        what = "connection failed"
    else:
        what = "transport error"
    detail = str(exc) or type(exc).__name__
    return ServiceUnavailable(
        f"{request.method} {request.url.scheme}://{request.url.netloc.decode()}"
        f"{request.url.path} {what}: {detail}",
        body=None,
    )


def error_from_unparsable(response: httpx.Response, problem: str) -> OryError:
    """A 2xx answer we cannot read (not JSON, or not the expected shape)."""
    body, _ = _decode_body(response)
    where = f"{response.request.method} {response.request.url.path}"
    return OryError(
        f"{where} answered {response.status_code} with an unexpected body: {problem}",
        status=response.status_code,
        body=body,
    )
