"""Recovery flow (method code): mail a code, then a privileged session and a settings flow."""

from __future__ import annotations

import re
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from devstack.kratos import (
    clock,
    code_method,
    codes,
    csrf,
    errors,
    flows,
    identities,
    nodes,
    sessions,
    settings,
    text,
    web,
)
from devstack.kratos.nodes import Node
from devstack.kratos.runtime import Runtime
from devstack.kratos.store import Doc

PURPOSE = "recovery"
LINK_PURPOSE = "recovery_link"


def _choose_nodes() -> list[Node]:
    return [
        nodes.input_node("email", "code", "email", required=True, label=text.label_email()),
        nodes.submit("method", "code", "code", text.label_continue()),
    ]


def _code_nodes(flow: Doc, email: str | None) -> list[Node]:
    """Kratos's order; "Resend code" is a button carrying the address as it was typed (none
    when an admin made the flow: nobody typed one)."""
    label = text.label_resend_code()
    resend = [] if email is None else [nodes.submit("email", email, "code", label)]
    return [
        *code_method.csrf_nodes(flow),
        # strategy_recovery.go / strategy_recovery_admin.go: pattern [0-9]+, maxlength CodeLength
        nodes.input_node(
            "code",
            "code",
            "text",
            required=True,
            pattern="[0-9]+",
            maxlength=6,
            label=text.label_recovery_code(),
        ),
        nodes.input_node("method", "code", "hidden", value="code"),
        nodes.submit("method", "code", "code", text.label_continue()),
        *resend,
    ]


def create_flow(
    rt: Runtime,
    request: Request,
    *,
    flow_type: str,
    csrf_cookie: str | None,
    params: dict[str, str],
) -> Doc | Response:
    return_to = flows.checked_return_to(rt.config, params.get("return_to"))
    if sessions.from_request(rt, request) is not None:
        if web.accepts_json(request) or flow_type == "api":
            raise errors.KratosError(
                400,
                error_id="session_already_available",
                reason="A valid session was detected and thus recovery is not possible.",
            )
        return web.redirect(return_to or rt.config.default_return_url)
    return flows.create(
        rt,
        request,
        "recovery",
        flow_type=flow_type,
        state="choose_method",
        nodes=_choose_nodes(),
        return_to=return_to,
        csrf_cookie=csrf_cookie,
        extra={"active": "code"},
    )


def _send_code(rt: Runtime, flow: Doc, email: str, transient_payload: dict[str, Any]) -> None:
    address = email.strip().lower()
    codes.invalidate_flow(rt, PURPOSE, flow["id"])
    identity = _identity_by_recovery_address(rt, address)
    if identity is not None:
        code = codes.issue(rt, PURPOSE, flow["id"], identity_id=identity["id"], address=address)
        rt.courier.send_template(
            recipient=address,
            template="recovery_code/valid",
            data={
                "RecoveryCode": code,
                "ExpiresInMinutes": rt.config.code_lifespan // 60,
                "Identity": identities.to_json(rt.config, identity),
                "TransientPayload": transient_payload,
            },
        )
    # unknown addresses get the same answer (no account enumeration); Kratos mails them only
    # with notify_unknown_recipients, which the stand-in does not emulate
    flow["state"] = "sent_email"
    flow["ui"]["nodes"] = _code_nodes(flow, email)
    flows.set_form_message(flow, text.recovery_code_sent())


def _identity_by_recovery_address(rt: Runtime, address: str) -> Doc | None:
    for identity in rt.store.all(identities.KIND):
        if any(a["value"] == address for a in identity["recovery_addresses"]):
            return identity
    return None


async def submit(rt: Runtime, request: Request) -> Response:
    flow = flows.load(rt, "recovery", request.query_params.get("flow"))
    if flows.expired_at(flow):
        return code_method.replace_expired(rt, request, "recovery", flow, _choose_nodes)
    body = await web.read_body(request)
    if flow["type"] == "browser" and not flow["_internal"].get("skip_csrf"):
        web.check_csrf(rt.config, request, body)
    refused = code_method.refuse_submission(
        rt, request, "recovery", flow, body, text.recovery_retry_success()
    )
    if refused is not None:
        return refused
    code = str(body.get("code") or "").strip()
    email = str(body.get("email") or "").strip()
    if flow["state"] == "sent_email" and code:
        return _use_code(rt, request, flow, code)
    if not email:
        return code_method.missing_input(rt, request, flow)
    if sessions.from_request(rt, request) is not None:
        if web.is_json_request(request):
            raise errors.KratosError(
                400,
                error_id="session_already_available",
                reason="A valid session was detected and thus recovery is not possible.",
            )
        return web.redirect(rt.config.default_return_url)
    _send_code(rt, flow, email, web.transient_payload(body))
    return flows.respond_flow(rt, request, flow)


def _use_code(rt: Runtime, request: Request, flow: Doc, code: str) -> Response:
    if not codes.count_submission(flow):
        flows.save(rt, flow)
        return _retry_flow(rt, request, flow, text.validation_generic(codes.TOO_OFTEN))
    entry = codes.redeem(rt, PURPOSE, flow["id"], code)
    identity = identities.get(rt.store, entry["identity_id"]) if entry else None
    if entry is None or identity is None:
        # Kratos answers a wrong code with 200 and the flow (its message says why)
        flows.set_form_message(flow, text.recovery_code_invalid())
        return flows.respond_flow(rt, request, flow)
    return _recovered(rt, request, flow, identity, entry.get("address"))


def _retry_flow(rt: Runtime, request: Request, old: Doc, message: text.UiText) -> Response:
    """Kratos's retryRecoveryFlow: a new flow carrying the message; JSON clients are sent to it."""
    new = code_method.restart(rt, request, "recovery", old, _choose_nodes, message)
    if web.is_json_request(request) or old["type"] == "api":
        return web.redirect(
            flows.with_query(f"{rt.config.public_url}self-service/recovery/flows", id=new["id"])
        )
    return web.redirect(flows.ui_redirect_url(rt.config, new))


def _recovered(
    rt: Runtime, request: Request, flow: Doc, identity: Doc, address: str | None
) -> Response:
    if identity["state"] != "active":
        raise errors.identity_disabled()
    if address:
        # receiving the code proves the address, as Kratos records
        identities.mark_verified(identity, address)
        identities.save(rt.store, rt.config, identity)
    session = sessions.issue(rt, identity, "code_recovery", "aal1", request)
    # strategy_recovery.go: a browser flow regenerates the CSRF token (v1.3.1 and v25.4.0);
    # the settings flow made next carries the new one
    cookie, new_cookie = csrf.new_cookie_value(), True
    if flow["type"] != "browser":
        cookie, new_cookie = "", False
    settings_flow = settings.new_flow(
        rt,
        request,
        identity,
        flow_type=flow["type"],
        csrf_cookie=cookie or None,
        # TakeOverReturnToParameter: the recovery flow's return_to, else recovery.after's
        return_to=flow.get("return_to") or rt.config.recovery_return_url,
    )
    privileged_until = clock.later(rt.config.privileged_session_max_age)
    settings_flow["ui"]["messages"] = [text.recovery_successful(privileged_until, clock.now())]
    flows.save(rt, settings_flow)
    settings_url = flows.ui_redirect_url(rt.config, settings_flow)
    flow["state"] = "passed_challenge"
    flow["continue_with"] = [
        {"action": "show_settings_ui", "flow": {"id": settings_flow["id"], "url": settings_url}}
    ]
    flows.save(rt, flow)
    response: Response
    if flow["type"] == "api":
        flow["continue_with"].insert(
            0, {"action": "set_ory_session_token", "ory_session_token": session["token"]}
        )
        flows.save(rt, flow)
        return web.json_response(flows.public(flow))
    if web.is_json_request(request):
        response = web.json_response(
            {
                "error": {
                    "id": "browser_location_change_required",
                    "code": 422,
                    "status": "Unprocessable Entity",
                    "reason": "In order to complete this flow please redirect the browser to: "
                    + settings_url,
                    "message": "browser location change required",
                },
                "redirect_browser_to": settings_url,
            },
            422,
        )
    else:
        response = web.redirect(settings_url)
    web.set_session_cookie(rt.config, response, session["token"])
    if new_cookie:
        web.set_csrf_cookie(rt.config, response, cookie)
    return response


async def follow_link(rt: Runtime, request: Request) -> Response:
    """GET /self-service/recovery?flow=…[&token=…]: the link mailed / made by the admin API."""
    flow = flows.load(rt, "recovery", request.query_params.get("flow"))
    token = request.query_params.get("token")
    if not token:
        return web.redirect(flows.ui_redirect_url(rt.config, flow))
    entry = codes.redeem(rt, LINK_PURPOSE, flow["id"], token)
    identity = identities.get(rt.store, entry["identity_id"]) if entry else None
    if entry is None or identity is None or flows.expired_at(flow):
        flows.set_form_message(
            flow,
            text.message(
                4060004,
                "The recovery token is invalid or has already been used. Please retry the flow.",
                "error",
            ),
        )
        flows.save(rt, flow)
        return web.redirect(flows.ui_redirect_url(rt.config, flow))
    return _recovered(rt, request, flow, identity, None)


_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}


def parse_duration(value: Any, default: int) -> int:
    """Go duration strings ("1h", "15m", "90s") as Kratos's expires_in takes them."""
    if not value:
        return default
    raw = str(value)
    parts = _DURATION.findall(raw)
    if not parts or "".join(n + u for n, u in parts) != raw:
        raise errors.bad_request(
            f'Unable to parse "expires_in" whose format should match '
            f'"[0-9]+(ns|us|ms|s|m|h)" but did not: {raw}'
        )
    return max(1, int(sum(float(n) * _UNIT_SECONDS[u] for n, u in parts)))


def admin_flow(rt: Runtime, request: Request, lifespan: int, *, code_mode: bool) -> Doc:
    """A browser recovery flow made by the admin API (no CSRF: the person did not start it)."""
    flow = flows.create(
        rt,
        request,
        "recovery",
        flow_type="browser",
        state="sent_email" if code_mode else "choose_method",
        nodes=[nodes.csrf_node("")] + (_choose_nodes() if not code_mode else []),
        extra={"active": "code" if code_mode else "link"},
        internal={"skip_csrf": True},
    )
    flow["expires_at"] = clock.fmt(clock.later(lifespan))
    if code_mode:
        flow["ui"]["nodes"] = _code_nodes(flow, None)
    # the request URL of an admin-made flow points at the public API, as in Kratos
    flow["request_url"] = f"{rt.config.public_url}self-service/recovery/browser"
    flows.save(rt, flow)
    return flow


def create_admin_code(rt: Runtime, request: Request, identity: Doc, expires_in: Any) -> Doc:
    lifespan = parse_duration(expires_in, rt.config.code_lifespan)
    flow = admin_flow(rt, request, lifespan, code_mode=True)
    # No address: as in Kratos, only a self-service code (mailed by Kratos) verifies one.
    code = codes.issue(
        rt, PURPOSE, flow["id"], identity_id=identity["id"], address=None, lifespan=lifespan
    )
    return {
        # Kratos links straight to the recovery UI, where the code is typed
        "recovery_link": flows.with_query(rt.config.recovery_ui_url, flow=flow["id"]),
        "recovery_code": code,
        "expires_at": flow["expires_at"],
    }


def create_admin_link(rt: Runtime, request: Request, identity: Doc, expires_in: Any) -> Doc:
    lifespan = parse_duration(expires_in, rt.config.code_lifespan)
    flow = admin_flow(rt, request, lifespan, code_mode=False)
    token = secrets.token_urlsafe(24)
    codes.issue(
        rt,
        LINK_PURPOSE,
        flow["id"],
        identity_id=identity["id"],
        address=None,
        value=token,
        lifespan=lifespan,
    )
    return {
        "recovery_link": flows.with_query(
            f"{rt.config.public_url}self-service/recovery", flow=flow["id"], token=token
        ),
        "expires_at": flow["expires_at"],
    }
