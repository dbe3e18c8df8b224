"""HTTP plumbing shared by the public and admin apps: content negotiation, bodies, cookies."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from devstack.kratos import csrf, errors
from devstack.kratos.config import KratosConfig

SESSION_COOKIE = "ory_kratos_session"


def offload(
    handler: Callable[[Request], Awaitable[Response]],
) -> Callable[[Request], Awaitable[Response]]:
    """Run a handler in a worker thread (own event loop) so argon2, SQLite and SMTP never block
    the event loop the stand-ins share with other servers; the body is read here first."""

    async def endpoint(request: Request) -> Response:
        await request.body()  # cached on the request; the worker never reads the socket
        return await anyio.to_thread.run_sync(_run_handler, handler, request)

    return endpoint


def _run_handler(handler: Callable[[Request], Awaitable[Response]], request: Request) -> Response:
    async def call() -> Response:
        return await handler(request)

    return asyncio.run(call())


def accepts_json(request: Request) -> bool:
    """Kratos negotiates between text/html (default) and application/json."""
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def is_json_request(request: Request) -> bool:
    content_type = request.headers.get("content-type", "")
    return content_type.startswith("application/json") or accepts_json(request)


async def read_body(request: Request) -> dict[str, Any]:
    """Form-encoded or JSON body as a dict; malformed JSON → 400 like Kratos's decoder."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        raw = await request.body()
        try:
            parsed = json.loads(raw or b"{}")
        except ValueError as exc:
            raise errors.bad_request(f"Unable to decode JSON payload: {exc}") from exc
        if not isinstance(parsed, dict):
            raise errors.bad_request("Unable to decode JSON payload: expected an object.")
        return parsed
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        return {k: v for k, v in form.multi_items() if isinstance(v, str)}
    raw = await request.body()
    if raw.strip():
        raise errors.KratosError(
            415,
            message="Unable to decode body because HTTP Request Header Content-Type is unknown.",
        )
    return {}


def transient_payload(body: dict[str, Any]) -> dict[str, Any]:
    """A submission's `transient_payload` (JSON, or a form field holding JSON): passed on to
    the mails the submission sends, never stored (Kratos tags it `db:"-"`)."""
    value = body.get("transient_payload")
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise errors.bad_request(f"Unable to decode JSON payload: {exc}") from exc
    if not isinstance(value, dict):
        raise errors.bad_request("transient_payload must be an object.")
    return value


async def read_json(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw)
    except ValueError as exc:
        # identity/handler.go (v1.3.1, v25.4.0): herodot.ErrBadRequest.WithError(err.Error()),
        # the decoder's text as the message and no reason
        raise errors.KratosError(400, message=str(exc)) from exc


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(body, status_code=status, headers=headers)


def error_response(err: errors.KratosError) -> Response:
    return JSONResponse(err.body(), status_code=err.code)


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def is_secure(config: KratosConfig) -> bool:
    return urlsplit(config.public_url).scheme == "https"


def set_session_cookie(config: KratosConfig, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=config.session_lifespan,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_secure(config),
    )


def clear_session_cookie(config: KratosConfig, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=is_secure(config)
    )


def csrf_cookie(config: KratosConfig, request: Request) -> tuple[str, bool]:
    """The browser's CSRF cookie value, or a new one (second item: whether to set it)."""
    current = request.cookies.get(csrf.cookie_name(config.public_url))
    if csrf.is_valid_cookie(current):
        assert current is not None
        return current, False
    return csrf.new_cookie_value(), True


def set_csrf_cookie(config: KratosConfig, response: Response, value: str) -> None:
    response.set_cookie(
        csrf.cookie_name(config.public_url),
        value,
        max_age=csrf.MAX_AGE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_secure(config),
    )


def check_csrf(config: KratosConfig, request: Request, body: dict[str, Any]) -> None:
    cookie = request.cookies.get(csrf.cookie_name(config.public_url))
    sent = body.get(csrf.FIELD) or request.headers.get(csrf.HEADER)
    if not csrf.verify(cookie, str(sent) if sent else None):
        raise errors.csrf_violation()
