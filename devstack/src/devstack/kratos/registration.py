"""Registration flow (password); off unless config.registration_enabled, like Kratos's flag."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from devstack.kratos import (
    errors,
    flows,
    identities,
    nodes,
    password_policy,
    sessions,
    text,
    verification,
    web,
)
from devstack.kratos.runtime import Runtime
from devstack.kratos.store import Doc


def _disabled() -> errors.KratosError:
    return errors.KratosError(
        400,
        error_id="self_service_flow_disabled",
        message="registration flow disabled",
        reason="Registration is not allowed because it was disabled.",
    )


def _nodes(rt: Runtime, traits: dict[str, Any] | None = None) -> list[nodes.Node]:
    schema = identities.load_schema(rt.config)
    return [
        *nodes.trait_nodes(schema, "default", traits),
        nodes.input_node(
            "password",
            "password",
            "password",
            required=True,
            autocomplete="new-password",
            label=text.label_password(),
        ),
        nodes.submit("method", "password", "password", text.registration_sign_up()),
    ]


def create_flow(
    rt: Runtime,
    request: Request,
    *,
    flow_type: str,
    csrf_cookie: str | None,
    params: dict[str, str],
) -> Doc | Response:
    if not rt.config.registration_enabled:
        raise _disabled()
    return_to = flows.checked_return_to(rt.config, params.get("return_to"))
    if sessions.from_request(rt, request) is not None:
        if web.accepts_json(request) or flow_type == "api":
            raise errors.KratosError(
                400,
                error_id="session_already_available",
                reason="A valid session was detected and thus registration is not possible.",
            )
        return web.redirect(return_to or rt.config.default_return_url)
    return flows.create(
        rt,
        request,
        "registration",
        flow_type=flow_type,
        state="choose_method",
        nodes=_nodes(rt),
        return_to=return_to,
        csrf_cookie=csrf_cookie,
    )


async def submit(rt: Runtime, request: Request) -> Response:
    if not rt.config.registration_enabled:
        raise _disabled()
    flow = flows.load(rt, "registration", request.query_params.get("flow"))
    if flows.expired_at(flow):
        new = flows.create(
            rt,
            request,
            "registration",
            flow_type=flow["type"],
            state="choose_method",
            nodes=_nodes(rt),
            return_to=flow.get("return_to"),
            csrf_cookie=flows.request_csrf_cookie(rt, request, flow),
        )
        new["ui"]["messages"] = [flows.ui_message_for_expiry("registration", flow)]
        flows.save(rt, new)
        return flows.answer_expired(rt, request, "registration", flow, new)
    body = await web.read_body(request)
    if flow["type"] == "browser":
        web.check_csrf(rt.config, request, body)
    flows.clear_messages(flow)
    if body.get("method") != "password":
        flows.set_form_message(flow, text.no_strategy("registration"))
        return flows.respond_flow(rt, request, flow, status=400)
    traits = _traits_from_body(body)
    for n in flow["ui"]["nodes"]:
        name = n["attributes"].get("name", "")
        if name.startswith("traits."):
            n["attributes"]["value"] = traits.get(name[7:])
    password = str(body.get("password") or "")
    if not password:
        nodes.add_message(flow["ui"]["nodes"], "password", text.required("password"))
        return flows.respond_flow(rt, request, flow, status=400)
    schema = identities.load_schema(rt.config)
    identifiers = [str(traits.get(f.name) or "") for f in schema.password_identifiers]
    problem = password_policy.problem(rt.config, password, identifiers)
    if problem is not None:
        nodes.add_message(flow["ui"]["nodes"], "password", problem)
        return flows.respond_flow(rt, request, flow, status=400)
    identity = identities.new_identity(rt.config, traits)
    identities.set_password(rt.config, identity, plain=password, hashed=None)
    try:
        identities.save(rt.store, rt.config, identity)
    except identities.TraitsInvalidError as exc:
        for name, message in exc.problems:
            if not nodes.add_message(flow["ui"]["nodes"], name, message):
                flows.add_form_message(flow, message)
        return flows.respond_flow(rt, request, flow, status=400)
    except identities.DuplicateIdentifierError:
        flows.set_form_message(flow, text.duplicate_credentials())
        return flows.respond_flow(rt, request, flow, status=400)
    session = sessions.issue(rt, identity, "password", "aal1", request)
    continue_with = verification.send_for_new_address(rt, request, identity)
    flow["state"] = "passed_challenge"
    flows.save(rt, flow)
    return_to = flow.get("return_to") or rt.config.default_return_url
    if flow["type"] == "api":
        return web.json_response(
            {
                "identity": identities.to_json(rt.config, identity),
                "session": sessions.to_json(rt, session),
                "session_token": session["token"],
                "continue_with": [
                    {"action": "set_ory_session_token", "ory_session_token": session["token"]},
                    *continue_with,
                ],
            }
        )
    response: Response
    if web.is_json_request(request):
        response = web.json_response(
            {
                "identity": identities.to_json(rt.config, identity),
                "session": sessions.to_json(rt, session),
                "continue_with": [
                    *continue_with,
                    {"action": "redirect_browser_to", "redirect_browser_to": return_to},
                ],
            }
        )
    else:
        response = web.redirect(return_to)
    web.set_session_cookie(rt.config, response, session["token"])
    return response


def _traits_from_body(body: dict[str, Any]) -> dict[str, Any]:
    if isinstance(body.get("traits"), dict):
        return {k: v for k, v in body["traits"].items() if v not in ("", None)}
    return {k[7:]: v for k, v in body.items() if k.startswith("traits.") and v not in ("", None)}
