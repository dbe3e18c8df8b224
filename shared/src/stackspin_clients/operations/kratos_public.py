"""Operations of the Ory Kratos public API used by a server-side UI."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from stackspin_clients.models.kratos import (
    FLOW_KINDS,
    Flow,
    FlowError,
    FlowKind,
    FlowResult,
    FlowSubmitResult,
    Identity,
    LogoutFlow,
    Session,
)
from stackspin_clients.operation import Operation, parse_model

# Kratos answers browser-flow calls with a 303 redirect unless the caller asks for JSON.
_JSON = "application/json"


def _parse_flow_result(response: httpx.Response) -> FlowResult:
    return FlowResult(
        flow=Flow.model_validate(response.json()),
        set_cookies=response.headers.get_list("set-cookie"),
    )


def _check_kind(kind: str) -> None:
    if kind not in FLOW_KINDS:
        raise ValueError(f"unknown flow kind {kind!r}; expected one of {', '.join(FLOW_KINDS)}")


def create_browser_flow(
    kind: FlowKind,
    *,
    cookie: str | None = None,
    return_to: str | None = None,
    refresh: bool = False,
    aal: str | None = None,
) -> Operation[FlowResult]:
    """``GET /self-service/{kind}/browser`` with the browser's cookies, as JSON.

    ``refresh`` and ``aal`` only apply to login flows.
    """
    _check_kind(kind)
    query: dict[str, str | bool | None] = {"return_to": return_to}
    if kind == "login":
        query["refresh"] = True if refresh else None
        query["aal"] = aal
    return Operation(
        "GET",
        f"/self-service/{kind}/browser",
        _parse_flow_result,
        query,
        headers={"Accept": _JSON, "Cookie": cookie},
    )


def get_flow(kind: FlowKind, flow_id: str, *, cookie: str | None = None) -> Operation[FlowResult]:
    """``GET /self-service/{kind}/flows?id=`` with the browser's cookies."""
    _check_kind(kind)
    return Operation(
        "GET",
        f"/self-service/{kind}/flows",
        _parse_flow_result,
        {"id": flow_id},
        headers={"Accept": _JSON, "Cookie": cookie},
    )


def _parse_submit_result(response: httpx.Response) -> FlowSubmitResult:
    body = response.json()
    if not isinstance(body, dict):
        body = {"value": body}
    is_flow = "ui" in body and "id" in body
    session = body.get("session")
    identity = body.get("identity") if not is_flow else None
    continue_with = body.get("continue_with")
    return FlowSubmitResult(
        body=body,
        set_cookies=response.headers.get_list("set-cookie"),
        flow=Flow.model_validate(body) if is_flow else None,
        session=Session.model_validate(session) if isinstance(session, dict) else None,
        identity=Identity.model_validate(identity) if isinstance(identity, dict) else None,
        continue_with=continue_with if isinstance(continue_with, list) else None,
    )


def submit_flow(
    kind: FlowKind,
    flow_id: str,
    body: Mapping[str, Any],
    *,
    cookie: str | None = None,
    session_token: str | None = None,
) -> Operation[FlowSubmitResult]:
    """``POST /self-service/{kind}?flow=`` as JSON (e.g. ``{"method": "password", ...}``).

    Browser flows need the browser's cookies and ``csrf_token`` in ``body``. A 400 answer
    becomes ValidationFailed with the flow (and its messages), 422 becomes
    BrowserLocationChangeRequired, 410 Gone.
    """
    _check_kind(kind)
    return Operation(
        "POST",
        f"/self-service/{kind}",
        _parse_submit_result,
        {"flow": flow_id},
        json=dict(body),
        headers={"Accept": _JSON, "Cookie": cookie, "X-Session-Token": session_token},
    )


def whoami(*, cookie: str | None = None, session_token: str | None = None) -> Operation[Session]:
    """``GET /sessions/whoami`` by the browser's cookie or a session token."""
    return Operation(
        "GET",
        "/sessions/whoami",
        parse_model(Session),
        headers={"Accept": _JSON, "Cookie": cookie, "X-Session-Token": session_token},
    )


def create_browser_logout_flow(
    *, cookie: str | None, return_to: str | None = None
) -> Operation[LogoutFlow]:
    """``GET /self-service/logout/browser``: the logout URL of the browser's session."""
    return Operation(
        "GET",
        "/self-service/logout/browser",
        parse_model(LogoutFlow),
        {"return_to": return_to},
        headers={"Accept": _JSON, "Cookie": cookie},
    )


def get_flow_error(error_id: str) -> Operation[FlowError]:
    """``GET /self-service/errors?id=``."""
    return Operation(
        "GET", "/self-service/errors", parse_model(FlowError), {"id": error_id}, headers={}
    )
