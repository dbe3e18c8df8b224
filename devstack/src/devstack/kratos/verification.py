"""Verification flow (method code): mail a code (and link), mark the address verified."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from devstack.kratos import (
    code_method,
    codes,
    csrf,
    errors,
    flows,
    identities,
    login,
    nodes,
    text,
    web,
)
from devstack.kratos.nodes import Node
from devstack.kratos.runtime import Runtime
from devstack.kratos.store import Doc

PURPOSE = "verification"


def _choose_nodes(email: str | None = None) -> list[Node]:
    return [
        nodes.input_node(
            "email", "code", "email", value=email, required=True, label=text.label_email()
        ),
        nodes.submit("method", "code", "code", text.label_continue()),
    ]


def _code_nodes(flow: Doc, email: str) -> list[Node]:
    # Kratos's order: the code method's fresh nodes, the csrf token, then "Resend code".
    return [
        nodes.input_node("method", "code", "hidden", value="code"),
        nodes.input_node(
            "code", "code", "text", required=True, label=text.label_verification_code()
        ),
        nodes.submit("method", "code", "code", text.label_continue()),
        *code_method.csrf_nodes(flow),
        nodes.submit("email", email, "code", text.label_resend_code()),
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
    return flows.create(
        rt,
        request,
        "verification",
        flow_type=flow_type,
        state="choose_method",
        nodes=_choose_nodes(),  # Kratos leaves the email empty, even for a signed-in person
        return_to=return_to,
        csrf_cookie=csrf_cookie,
        extra={"active": "code"},
    )


def _send_code(
    rt: Runtime, flow: Doc, email: str, transient_payload: dict[str, Any] | None = None
) -> None:
    address = email.strip().lower()
    codes.invalidate_flow(rt, PURPOSE, flow["id"])
    identity = _identity_by_address(rt, address)
    if identity is not None:
        code = codes.issue(rt, PURPOSE, flow["id"], identity_id=identity["id"], address=address)
        for known in identity["verifiable_addresses"]:
            if known["value"] == address and not known["verified"]:
                known["status"] = "sent"
        identities.save(rt.store, rt.config, identity)
        link = flows.with_query(
            f"{rt.config.public_url}self-service/verification", code=code, flow=flow["id"]
        )
        rt.courier.send_template(
            recipient=address,
            template="verification_code/valid",
            data={
                "VerificationCode": code,
                "VerificationURL": link,
                "ExpiresInMinutes": rt.config.code_lifespan // 60,
                "Identity": identities.to_json(rt.config, identity),
                "TransientPayload": transient_payload or {},
            },
        )
    flow["state"] = "sent_email"
    flow["ui"]["nodes"] = _code_nodes(flow, email)
    flows.set_form_message(flow, text.verification_code_sent())


def send_for_new_address(
    rt: Runtime,
    request: Request,
    identity: Doc,
    *,
    csrf_cookie: str | None = None,
    transient_payload: dict[str, Any] | None = None,
) -> list[Doc]:
    """Kratos's verification hook: mail a code to each unverified address, in a new flow
    (bound to `csrf_cookie`, else the request's).

    Returns `continue_with` items (`show_verification_ui`) as Kratos adds them.
    """
    out: list[Doc] = []
    for address in identity["verifiable_addresses"]:
        if address["verified"] or address.get("status") == "sent":
            continue
        flow = flows.create(
            rt,
            request,
            "verification",
            flow_type="browser",
            state="choose_method",
            nodes=_choose_nodes(address["value"]),
            csrf_cookie=csrf_cookie or request.cookies.get(login.csrf_cookie_name(rt)),
            extra={"active": "code"},
        )
        # NewPostHookFlow: the verification flow inherits the settings submission's payload
        _send_code(rt, flow, address["value"], transient_payload)
        flows.save(rt, flow)
        out.append(
            {
                "action": "show_verification_ui",
                "flow": {
                    "id": flow["id"],
                    "verifiable_address": address["value"],
                    "url": flows.ui_redirect_url(rt.config, flow),
                },
            }
        )
    return out


def _identity_by_address(rt: Runtime, address: str) -> Doc | None:
    for identity in rt.store.all(identities.KIND):
        if any(a["value"] == address for a in identity["verifiable_addresses"]):
            return identity
    return None


async def submit(rt: Runtime, request: Request) -> Response:
    flow = flows.load(rt, "verification", request.query_params.get("flow"))
    if flows.expired_at(flow):
        return code_method.replace_expired(rt, request, "verification", flow, _choose_nodes)
    body = await web.read_body(request)
    if flow["type"] == "browser":
        web.check_csrf(rt.config, request, body)
    refused = code_method.refuse_submission(
        rt, request, "verification", flow, body, text.verification_retry_success()
    )
    if refused is not None:
        return refused
    code = str(body.get("code") or "").strip()
    email = str(body.get("email") or "").strip()
    if flow["state"] == "sent_email" and code:
        return use_code(rt, request, flow, code)
    if not email:
        return code_method.missing_input(rt, request, flow)
    _send_code(rt, flow, email, web.transient_payload(body))
    return flows.respond_flow(rt, request, flow)


def use_code(rt: Runtime, request: Request, flow: Doc, code: str) -> Response:
    if not codes.count_submission(flow):
        flows.save(rt, flow)
        return _replace_flow(rt, request, flow, codes.TOO_OFTEN)
    entry = codes.redeem(rt, PURPOSE, flow["id"], code)
    identity = identities.get(rt.store, entry["identity_id"]) if entry else None
    if entry is None or identity is None:
        # Kratos answers a wrong code with 200 and the flow (its message says why)
        flows.set_form_message(flow, text.verification_code_invalid())
        return flows.respond_flow(rt, request, flow)
    _verified(rt, flow, identity, entry["address"])
    return flows.respond_flow(rt, request, flow)


def _verified(rt: Runtime, flow: Doc, identity: Doc, address: str) -> None:
    """A right code: the address is verified and the flow offers to continue."""
    identities.mark_verified(identity, address)
    identities.save(rt.store, rt.config, identity)
    flow["state"] = "passed_challenge"
    href = flow.get("return_to") or rt.config.default_return_url
    # Kratos replaces the form: GET to where the person continues, the csrf token (SetCSRFToken)
    # and one "Continue" link.
    flow["ui"]["action"] = href
    flow["ui"]["method"] = "GET"
    flow["ui"]["nodes"] = [
        *code_method.csrf_nodes(flow),
        nodes.anchor_node("continue", href, "code", text.label_continue()),
    ]
    flows.set_form_message(flow, text.verification_successful())


def _replace_flow(rt: Runtime, request: Request, old: Doc, reason: str) -> Response:
    """Kratos's retryVerificationFlowWithError: a new flow; JSON clients get 410 + use_flow_id."""
    new = code_method.restart(
        rt, request, "verification", old, _choose_nodes, text.validation_generic(reason)
    )
    if web.is_json_request(request) or old["type"] == "api":
        return web.error_response(
            errors.KratosError(
                410,
                error_id="self_service_flow_replaced",
                message="self-service flow replaced",
                reason="An error occured, please retry the flow.",
                extra={"use_flow_id": new["id"]},
            )
        )
    return web.redirect(flows.ui_redirect_url(rt.config, new))


async def follow_link(rt: Runtime, request: Request) -> Response:
    """GET /self-service/verification?flow=…&code=…: the link in the mail.

    Kratos's handleLinkClick: the code is filled into the flow's form, not used (a mail
    scanner's GET must not spend it), and the flow is bound to a fresh CSRF cookie of this
    browser, so the link works on a phone that never saw the flow; submitting verifies.
    """
    flow = flows.load(rt, "verification", request.query_params.get("flow"))
    code = request.query_params.get("code", "")
    if not code or flows.expired_at(flow) or flow["state"] == "passed_challenge":
        return web.redirect(flows.ui_redirect_url(rt.config, flow))
    for node in flow["ui"]["nodes"]:
        if node["attributes"].get("name") == "code":
            node["attributes"]["value"] = code
    response = web.redirect(flows.ui_redirect_url(rt.config, flow))
    if flow["type"] == "browser":
        cookie = csrf.new_cookie_value()
        token = csrf.mask(cookie)
        flow[flows.INTERNAL]["csrf_token"] = token
        for node in flow["ui"]["nodes"]:
            if node["attributes"].get("name") == csrf.FIELD:
                node["attributes"]["value"] = token
        web.set_csrf_cookie(rt.config, response, cookie)
    flows.save(rt, flow)
    return response
