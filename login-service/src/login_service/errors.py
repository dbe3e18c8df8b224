"""Our error types and the one handler that turns every failure into a readable page.

Domain errors carry their HTTP status; client errors from stackspin_clients are mapped here.
Never a traceback: anything unexpected becomes a 500 page with the request id.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import structlog
from flask import Flask, redirect, render_template, request
from flask_wtf.csrf import CSRFError
from stackspin_clients.errors import OryError, ServiceUnavailable
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from login_service.lazy_text import lazy_text as _l
from login_service.observability import current_request_id
from login_service.return_urls import is_browser_url

log = structlog.get_logger(__name__)
# What a Hydra challenge looks like: opaque and URL-safe (hydra/challenges.py refuses the rest).
CHALLENGE = re.compile(r"[A-Za-z0-9._~=+/-]{1,4096}")


class LoginServiceError(Exception):
    """A failure we show to the person as a page with `status`."""

    status = 500
    title: Any = _l("Something went wrong")

    def __init__(self, detail: Any = None, *, title: Any = None) -> None:
        super().__init__(str(detail or ""))
        self.detail = detail
        if title is not None:
            self.title = title


class BadChallengeError(LoginServiceError):
    """A missing, malformed, unknown or already used Hydra challenge."""

    status = 400
    title = _l("This sign-in link is not valid")


class ChallengeUsedError(LoginServiceError):
    """The challenge was already used (Hydra answered 410, or this browser finished it):
    `redirect_to` (the app's original request, from Hydra) starts the sign-in afresh."""

    status = 400
    title = _l("This sign-in link is not valid")

    def __init__(self, redirect_to: str | None) -> None:
        super().__init__(_l("This sign-in link was already used. Please start again from the app."))
        self.redirect_to = redirect_to


class ChallengeExpiredError(LoginServiceError):
    """Hydra answered 401 request_unauthorized: the request outlived ttl.login_consent_request.

    `restart_url` is the app's original authorization request, when this browser saw it.
    """

    status = 410
    title = _l("This sign-in link has expired")

    def __init__(self, detail: Any, restart_url: str | None) -> None:
        super().__init__(detail)
        self.restart_url = restart_url


class UnexpectedAnswerError(LoginServiceError):
    """Hydra, Kratos or dashboard-api answered something we must not act on: fail closed."""

    status = 502
    title = _l("Something went wrong")

    def __init__(self, service: str, problem: str) -> None:
        super().__init__(_l("An identity service gave an unexpected answer. Please start again."))
        self.service = service
        self.problem = problem  # a fixed description, never the (possibly secret) value


class DependencyDownError(LoginServiceError):
    """Hydra, Kratos or dashboard-api did not answer: fail closed."""

    status = 503
    title = _l("Sign-in is temporarily unavailable")

    def __init__(self, service: str, detail: Any = None) -> None:
        super().__init__(detail)
        self.service = service


def render_error(
    status: int,
    title: Any,
    detail: Any = None,
    *,
    retry_url: str | None = None,
    template: str = "error.html",
    **context: Any,
) -> Response:
    body = render_template(
        template,
        status=status,
        title=title,
        detail=detail,
        retry_url=retry_url,
        request_id=current_request_id(),
        **context,
    )
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    if status == 503:
        response.headers["Retry-After"] = "5"
    return response


def _retry_url() -> str:
    # Retrying the same GET is safe for every page we serve; a POST target is not.
    return request.full_path.rstrip("?") if request.method == "GET" else request.path


def _form_retry_url() -> str:
    """The GET page a refused form came from (consent and logout carry their challenge)."""
    for field in ("consent_challenge", "logout_challenge"):
        value = request.form.get(field)
        if value and CHALLENGE.fullmatch(value):
            return f"{request.path}?{urlencode({field: value})}"
    return request.path


def handle_exception(exc: Exception) -> Response:
    if isinstance(exc, CSRFError):
        return render_error(
            400,
            _l("This form has expired"),
            _l("The page was open for too long or was submitted twice. Please try again."),
            retry_url=_form_retry_url(),
        )
    if isinstance(exc, HTTPException):
        status = exc.code or 500
        if status == 404:
            return render_error(404, _l("Page not found"), _l("There is no page at this address."))
        response = render_error(status, exc.name, exc.description)
        if "Allow" in dict(exc.get_headers()):  # a 405 must say which methods are allowed
            response.headers["Allow"] = dict(exc.get_headers())["Allow"]
        return response
    if isinstance(exc, ServiceUnavailable):  # a call outside clients.calling(): name unknown
        exc = DependencyDownError("unknown", exc.message)
    if isinstance(exc, DependencyDownError):
        log.warning("dependency_unavailable", service=exc.service, error=str(exc.detail or ""))
        return render_error(
            503,
            exc.title,
            _l("We could not reach a service that sign-in depends on. Please try again shortly."),
            retry_url=_retry_url(),
        )
    if isinstance(exc, ChallengeUsedError) and is_browser_url(exc.redirect_to):
        # Hydra's redirect_to restarts the OAuth2 flow or tells the app; it comes from Hydra.
        return redirect(str(exc.redirect_to), code=303)
    if isinstance(exc, ChallengeExpiredError):
        restart = exc.restart_url if is_browser_url(exc.restart_url) else None
        return render_error(exc.status, exc.title, exc.detail, restart_url=restart)
    if isinstance(exc, UnexpectedAnswerError):
        log.error("unexpected_answer", service=exc.service, problem=exc.problem)
        return render_error(exc.status, exc.title, exc.detail)
    if isinstance(exc, LoginServiceError):
        if exc.status >= 500:
            log.error("login_service_error", error=type(exc).__name__)
        return render_error(exc.status, exc.title, exc.detail)
    if isinstance(exc, OryError):
        log.error("unexpected_ory_error", status=exc.status, error_id=exc.error_id)
        unexpected = UnexpectedAnswerError("ory", "unexpected status")
        return render_error(unexpected.status, unexpected.title, unexpected.detail)
    log.exception("unhandled_exception", error=type(exc).__name__)
    return render_error(500, _l("Something went wrong"), _l("Please try again later."))


def register_error_handler(app: Flask) -> None:
    app.register_error_handler(Exception, handle_exception)
