"""Registration flow, profile first (Kratos's default `style`, v1.3.1 and v25): the traits,
then a password. Off unless config.registration_enabled, like Kratos's flag; as in
deploy/ory/kratos.yml no `session` hook runs after it, so it ends signed out.

Step one shows the traits and `method=profile` (strategy/profile/two_step_registration.go);
a valid profile turns the form into step two — password, `method=password`, a
`screen=previous` back button and the traits as hidden inputs. A browser is sent back to the
UI with 303 after a step change and 302 after an error (registration/error.go).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from devstack.kratos import (
    csrf,
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


def _step_one(rt: Runtime, traits: dict[str, Any] | None = None) -> list[nodes.Node]:
    schema = identities.load_schema(rt.config)
    return [
        *nodes.trait_nodes(schema, "default", traits),
        nodes.submit("method", "profile", "profile", text.registration_sign_up()),
    ]


def _step_two(traits: dict[str, Any]) -> list[nodes.Node]:
    return [
        nodes.input_node(
            "password",
            "password",
            "password",
            required=True,
            autocomplete="new-password",
            label=text.label_password(),
        ),
        nodes.submit("method", "password", "password", text.registration_sign_up()),
        nodes.submit("screen", "previous", "profile", text.registration_back()),
        # UpdateNodeValuesFromJSON adds the submitted traits, unlabelled; then made hidden
        *(
            nodes.input_node(f"traits.{name}", "default", "hidden", value=value)
            for name, value in traits.items()
        ),
    ]


def _keep_csrf(flow: Doc, built: list[nodes.Node]) -> list[nodes.Node]:
    kept = [n for n in flow["ui"]["nodes"] if n["attributes"].get("name") == csrf.FIELD]
    return [*built, *kept]


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
        nodes=_step_one(rt),
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
            nodes=_step_one(rt),
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
    traits = _traits_from_body(body)
    method = body.get("method")
    if method == "profile" or body.get("screen") == "credential-selection":
        return _to_step_two(rt, request, flow, traits)
    if method == "profile:back" or body.get("screen") == "previous":
        flow["ui"]["nodes"] = _keep_csrf(flow, _step_one(rt, traits))
        return _step_changed(rt, request, flow)
    if method != "password":
        flows.set_form_message(flow, text.no_strategy("registration"))
        return _failed(rt, request, flow)
    for n in flow["ui"]["nodes"]:  # handleRegistrationError: the values of the traits sent
        name = n["attributes"].get("name", "")
        if name.startswith("traits.") and name[7:] in traits:
            n["attributes"]["value"] = traits[name[7:]]
    password = str(body.get("password") or "")
    if not password:
        _field_message(flow, "password", text.required("password"))
        return _failed(rt, request, flow)
    schema = identities.load_schema(rt.config)
    identifiers = [str(traits.get(f.name) or "") for f in schema.password_identifiers]
    problem = password_policy.problem(rt.config, password, identifiers)
    if problem is not None:
        _field_message(flow, "password", problem)
        return _failed(rt, request, flow)
    identity = identities.new_identity(rt.config, traits)
    identities.set_password(rt.config, identity, plain=password, hashed=None)
    try:
        identities.save(rt.store, rt.config, identity)
    except identities.TraitsInvalidError as exc:
        for name, message in exc.problems:
            if not nodes.add_message(flow["ui"]["nodes"], name, message):
                flows.add_form_message(flow, message)
        return _failed(rt, request, flow)
    except identities.DuplicateIdentifierError:
        flows.set_form_message(flow, text.duplicate_credentials())
        return _failed(rt, request, flow)
    # registration/hook.go persists a session, but without a `session` hook issues none
    sessions.issue(rt, identity, "password", "aal1", request)
    # the verification hook regenerates the CSRF token of a registration flow (browsers)
    fresh_csrf = csrf.new_cookie_value() if flow["type"] == "browser" else None
    continue_with = verification.send_for_new_address(rt, request, identity, csrf_cookie=fresh_csrf)
    flow["state"] = "passed_challenge"
    flows.save(rt, flow)
    return_to = flow.get("return_to") or rt.config.default_return_url
    if flow["type"] == "api":
        return web.json_response(
            {"identity": identities.to_json(rt.config, identity), "continue_with": continue_with}
        )
    response: Response
    if web.is_json_request(request):
        redirect = {"action": "redirect_browser_to", "redirect_browser_to": return_to}
        response = web.json_response(
            {
                "identity": identities.to_json(rt.config, identity),
                "continue_with": [*continue_with, redirect],
            }
        )
    else:
        response = web.redirect(return_to)
    if continue_with and fresh_csrf:
        web.set_csrf_cookie(rt.config, response, fresh_csrf)
    return response


def _to_step_two(rt: Runtime, request: Request, flow: Doc, traits: dict[str, Any]) -> Response:
    problems = identities.load_schema(rt.config).validate(traits)
    if problems:
        flow["ui"]["nodes"] = _keep_csrf(flow, _step_one(rt, traits))
        for name, message in problems:
            if not nodes.add_message(flow["ui"]["nodes"], name, message):
                flows.add_form_message(flow, message)
        return _failed(rt, request, flow)
    flow["ui"]["nodes"] = _keep_csrf(flow, _step_two(traits))
    flow["ui"]["messages"] = [text.choose_credentials()]
    return _step_changed(rt, request, flow)


def _field_message(flow: Doc, name: str, message: text.UiText) -> None:
    """ui/container AddMessage: on the field's node, or on a new text input of that name
    (step one has no password node)."""
    if not nodes.add_message(flow["ui"]["nodes"], name, message):
        added = nodes.input_node(name, "default", "text")
        added["messages"].append(message)
        flow["ui"]["nodes"].append(added)


def _step_changed(rt: Runtime, request: Request, flow: Doc) -> Response:
    """displayStepOneNodes / displayStepTwoNodes: JSON gets the flow with 400, a browser 303."""
    flow["state"] = "choose_method"
    return flows.respond_flow(rt, request, flow, status=400)


def _failed(rt: Runtime, request: Request, flow: Doc) -> Response:
    """registration/error.go WriteFlowError: JSON gets the flow with 400, a browser 302."""
    flows.save(rt, flow)
    if flow["type"] == "api" or web.is_json_request(request):
        return web.json_response(flows.public(flow), 400)
    return RedirectResponse(flows.ui_redirect_url(rt.config, flow), status_code=302)


def _traits_from_body(body: dict[str, Any]) -> dict[str, Any]:
    if isinstance(body.get("traits"), dict):
        return {k: v for k, v in body["traits"].items() if v not in ("", None)}
    return {k[7:]: v for k, v in body.items() if k.startswith("traits.") and v not in ("", None)}
