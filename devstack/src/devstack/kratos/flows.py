"""Self-service flow machinery shared by every flow kind (login, settings, recovery, ...)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import Response

from devstack.kratos import clock, csrf, errors, text, web
from devstack.kratos.config import KratosConfig
from devstack.kratos.nodes import Node, csrf_node
from devstack.kratos.runtime import Runtime
from devstack.kratos.store import Doc

KIND = "flow"
ERROR_KIND = "flow_error"
INTERNAL = "_internal"


def ui_url(config: KratosConfig, kind: str) -> str:
    return str(getattr(config, f"{kind}_ui_url"))


def with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query.extend(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def ui_redirect_url(config: KratosConfig, flow: Doc) -> str:
    return with_query(ui_url(config, flow[INTERNAL]["kind"]), flow=flow["id"])


def public_request_url(config: KratosConfig, request: Request) -> str:
    """The URL as the browser saw it (under the public base URL)."""
    url = config.public_url + request.url.path.lstrip("/")
    return f"{url}?{request.url.query}" if request.url.query else url


def allowed_return_to(config: KratosConfig, raw: str) -> bool:
    """Kratos's rule: same scheme, same host (or *.suffix), path prefix of an allowed URL."""
    target = urlsplit(raw)
    if not target.scheme or not target.netloc:
        return False
    allow = [*config.allowed_return_urls, config.public_url + "self-service"]
    for allowed in allow:
        a = urlsplit(allowed)
        if a.scheme.lower() != target.scheme.lower():
            continue
        if a.netloc.startswith("*"):
            host_ok = target.netloc.lower().endswith(a.netloc.lower()[1:])
        else:
            host_ok = a.netloc.lower() == target.netloc.lower()
        if host_ok and (target.path or "/").startswith(a.path or "/"):
            return True
    return False


def checked_return_to(config: KratosConfig, raw: str | None) -> str | None:
    """The allowed, absolute return_to; like Kratos, a relative one takes the scheme and host
    of the default return URL."""
    if not raw:
        return None
    target = urlsplit(raw)
    default = urlsplit(config.default_return_url)
    resolved = urlunsplit(
        target._replace(
            scheme=target.scheme or default.scheme, netloc=target.netloc or default.netloc
        )
    )
    if not allowed_return_to(config, resolved):
        raise errors.return_to_not_allowed(resolved)
    return resolved


def create(
    rt: Runtime,
    request: Request,
    kind: str,
    *,
    flow_type: str,
    state: str,
    nodes: list[Node],
    return_to: str | None = None,
    csrf_cookie: str | None = None,
    extra: dict[str, Any] | None = None,
    internal: dict[str, Any] | None = None,
) -> Doc:
    moment = clock.now()
    flow_id = str(uuid.uuid4())
    csrf_token = ""
    all_nodes = list(nodes)
    if flow_type == "browser" and csrf_cookie:
        csrf_token = csrf.mask(csrf_cookie)
        all_nodes.insert(0, csrf_node(csrf_token))
    elif kind == "login":
        # The password strategy sets a CSRF node on every login flow, API flows too
        # (strategy/password/login.go PopulateLoginMethodFirstFactor); nothing checks it there.
        all_nodes.insert(0, csrf_node(csrf.mask(csrf.new_cookie_value())))
    flow: Doc = {
        "id": flow_id,
        "type": flow_type,
        "expires_at": clock.fmt(clock.later(rt.config.flow_lifespan)),
        "issued_at": clock.fmt(moment),
        "request_url": public_request_url(rt.config, request),
        "ui": {
            "action": with_query(f"{rt.config.public_url}self-service/{kind}", flow=flow_id),
            "method": "POST",
            "nodes": all_nodes,
        },
        "state": state,
    }
    if return_to:
        flow["return_to"] = return_to
    if kind == "login":  # registration and settings tag theirs json:"-"
        flow["created_at"] = clock.fmt(moment)
        flow["updated_at"] = clock.fmt(moment)
    if kind in ("login", "registration"):  # a NullUUID struct: `omitempty` keeps it, null
        flow["organization_id"] = None
    flow.update(extra or {})
    flow[INTERNAL] = {"kind": kind, "csrf_token": csrf_token, **(internal or {})}
    save(rt, flow)
    return flow


def save(rt: Runtime, flow: Doc) -> None:
    if "updated_at" in flow:
        flow["updated_at"] = clock.fmt(clock.now())
    rt.store.put(KIND, flow["id"], flow)


def public(flow: Doc) -> Doc:
    out = {k: v for k, v in flow.items() if k != INTERNAL}
    ui = dict(out["ui"])
    if not ui.get("messages"):
        ui.pop("messages", None)
    out["ui"] = ui
    return out


def load(rt: Runtime, kind: str, flow_id: str | None) -> Doc:
    """A flow of this kind (404 when unknown), not checked for expiry."""
    flow = None
    if flow_id:
        try:
            flow = rt.store.get(KIND, str(uuid.UUID(flow_id)))
        except ValueError:
            flow = None
    if flow is None or flow[INTERNAL]["kind"] != kind:
        raise errors.not_found()  # the flow persister's sqlcon.ErrNoRows (no reason)
    return flow


def expired_at(flow: Doc) -> datetime | None:
    moment = clock.parse(flow["expires_at"])
    return moment if moment <= clock.now() else None


def set_form_message(flow: Doc, message: text.UiText) -> None:
    flow["ui"]["messages"] = [message]


def add_form_message(flow: Doc, message: text.UiText) -> None:
    flow["ui"].setdefault("messages", []).append(message)


def clear_messages(flow: Doc) -> None:
    flow["ui"]["messages"] = []
    for n in flow["ui"]["nodes"]:
        n["messages"] = []


def csrf_matches_cookie(rt: Runtime, request: Request, flow: Doc) -> bool:
    cookie = request.cookies.get(csrf.cookie_name(rt.config.public_url))
    return csrf.verify(cookie, flow[INTERNAL]["csrf_token"])


# ---- responses


def store_error(rt: Runtime, err: errors.KratosError) -> str:
    moment = clock.fmt(clock.now())
    error_id = str(uuid.uuid4())
    rt.store.put(
        ERROR_KIND,
        error_id,
        {"id": error_id, "error": err.inner(), "created_at": moment, "updated_at": moment},
    )
    return error_id


def error_redirect_url(rt: Runtime, err: errors.KratosError) -> str:
    return with_query(rt.config.error_ui_url, id=store_error(rt, err))


def respond_error(rt: Runtime, request: Request, err: errors.KratosError) -> Response:
    """Non-validation errors: JSON body for API/AJAX clients, else the error UI (?id=)."""
    if web.is_json_request(request):
        return web.error_response(err)
    return web.redirect(error_redirect_url(rt, err))


def respond_flow(
    rt: Runtime, request: Request, flow: Doc, *, status: int = 200, json_flow: bool = True
) -> Response:
    """Save the flow; JSON clients get it with `status`, browsers a 303 back to the UI."""
    save(rt, flow)
    if flow["type"] == "api" or web.is_json_request(request):
        return web.json_response(public(flow), status)
    return web.redirect(ui_redirect_url(rt.config, flow))


def request_csrf_cookie(rt: Runtime, request: Request, old: Doc) -> str | None:
    """The CSRF cookie for a flow replacing browser flow `old` (API flows have none)."""
    if old["type"] != "browser":
        return None
    return request.cookies.get(csrf.cookie_name(rt.config.public_url))


def answer_expired(rt: Runtime, request: Request, kind: str, old: Doc, new: Doc) -> Response:
    """A submission of expired `old`, replaced by saved `new`: 410 + use_flow_id or a redirect."""
    if old["type"] == "api" or web.is_json_request(request):
        return web.error_response(expired_error(kind, old, new["id"]))
    return web.redirect(ui_redirect_url(rt.config, new))


def expired_fetch_error(rt: Runtime, kind: str, flow: Doc) -> errors.KratosError:
    """GET /self-service/{kind}/flows on an expired flow (each flow's handler.go fetch):
    a browser flow names where to start again and its return_to, an API flow the API init."""
    if flow["type"] == "browser":
        return_to = flow.get("return_to") or ""
        init = f"{rt.config.public_url}self-service/{kind}/browser"
        details = {
            "redirect_to": with_query(init, return_to=return_to) if return_to else init,
            "return_to": return_to,
        }
        next_step = f"Redirect the user to the {kind} flow init endpoint"
    else:
        details = {"api": f"{rt.config.public_url}self-service/{kind}/api"}
        next_step = f"Call the {kind} flow init API endpoint"
    return errors.KratosError(
        410,
        error_id="self_service_flow_expired",
        message="self-service flow expired",
        reason=f"The {kind} flow has expired. {next_step} to initialize a new {kind} flow.",
        details=details,
    )


def expired_error(kind: str, old: Doc, new_flow_id: str) -> errors.KratosError:
    when = clock.parse(old["expires_at"])
    since = clock.now() - when
    return errors.KratosError(
        410,
        error_id="self_service_flow_expired",
        message="self-service flow expired",
        reason=f"The self-service flow expired {since.total_seconds() / 60:.2f} minutes ago, "
        "initialize a new one.",
        extra={
            "use_flow_id": new_flow_id,
            "since": int(since.total_seconds() * 1e9),
            "expired_at": old["expires_at"],
        },
    )


def ui_message_for_expiry(kind: str, old: Doc) -> text.UiText:
    return text.flow_expired(kind, clock.parse(old["expires_at"]), clock.now())
