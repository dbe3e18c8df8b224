"""Login flow: password (AAL1), TOTP and lookup secrets (AAL2), refresh."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from devstack.kratos import (
    csrf,
    errors,
    flows,
    identities,
    mfa,
    nodes,
    passwords,
    sessions,
    text,
    web,
)
from devstack.kratos.nodes import Node
from devstack.kratos.runtime import Runtime
from devstack.kratos.store import Doc


def login_browser_url(
    rt: Runtime,
    *,
    aal: str | None = None,
    return_to: str | None = None,
    refresh: bool = False,
    login_challenge: str | None = None,
) -> str:
    params: dict[str, str] = {}
    if aal:
        params["aal"] = aal
    if refresh:
        params["refresh"] = "true"
    if return_to:
        params["return_to"] = return_to
    if login_challenge:
        params["login_challenge"] = login_challenge
    return flows.with_query(f"{rt.config.public_url}self-service/login/browser", **params)


def _first_factor_nodes(rt: Runtime, identifier: str | None) -> list[Node]:
    schema = identities.load_schema(rt.config)
    if identifier is None:
        ident = nodes.input_node(
            "identifier", "default", "text", value="", required=True, label=schema.identifier_label
        )
    else:
        ident = nodes.input_node("identifier", "default", "hidden", value=identifier)
    return [
        ident,
        nodes.input_node(
            "password",
            "password",
            "password",
            required=True,
            autocomplete="current-password",
            label=text.label_password(),
        ),
        nodes.submit(
            "method",
            "password",
            "password",
            text.login_sign_in()
            if identifier is not None
            else text.message(1010022, "Sign in with password"),
        ),
    ]


def _second_factor_nodes(identity: Doc) -> list[Node]:
    out: list[Node] = []
    creds = identity["credentials"]
    if "totp" in creds:
        out.append(
            nodes.input_node(
                "totp_code",
                "totp",
                "text",
                required=True,
                autocomplete="one-time-code",
                label=text.login_totp_label(),
            )
        )
        out.append(nodes.submit("method", "totp", "totp", text.login_totp_submit()))
    if "lookup_secret" in creds:
        out.append(
            nodes.input_node(
                "lookup_secret",
                "lookup_secret",
                "text",
                required=True,
                label=text.login_lookup_label(),
            )
        )
        out.append(
            nodes.submit("method", "lookup_secret", "lookup_secret", text.login_lookup_submit())
        )
    return out


def _password_identifier(identity: Doc) -> str | None:
    pw = identity["credentials"].get("password")
    if pw and pw["identifiers"]:
        return str(pw["identifiers"][0])
    return None


def create_flow(
    rt: Runtime,
    request: Request,
    *,
    flow_type: str,
    csrf_cookie: str | None,
    params: dict[str, str],
) -> Doc | Response:
    """A new login flow, or a response when none is needed (already signed in)."""
    refresh = params.get("refresh", "").lower() == "true"
    aal = params.get("aal") or "aal1"
    if aal not in ("aal1", "aal2"):
        raise errors.bad_request(
            f'Unable to parse AuthenticationMethod Assurance Level (AAL): "{aal}"'
        )
    return_to = flows.checked_return_to(rt.config, params.get("return_to"))
    session = sessions.from_request(rt, request)
    identity = identities.get(rt.store, session["identity_id"]) if session else None

    if aal == "aal2" and session is None:
        raise errors.KratosError(
            401,
            error_id="session_aal1_required",
            message="request does not have a valid authentication session",
            reason="You can not requested a higher AAL (AAL2/AAL3) without an active session.",
        )
    wants_second = (
        aal == "aal2"
        and session is not None
        and identity is not None
        and identities.has_second_factor(identity)
        and (session["authenticator_assurance_level"] != "aal2" or refresh)
    )
    if session is not None and not refresh and not wants_second:
        err = errors.KratosError(
            400,
            error_id="session_already_available",
            message="you are already logged in",
            reason="A valid session was detected and thus login is not possible. Did you forget "
            "to set `?refresh=true`?",
        )
        if web.accepts_json(request) or flow_type == "api":
            raise err
        return web.redirect(return_to or rt.config.default_return_url)

    messages: list[text.UiText] = []
    node_list: list[Node]
    internal: dict[str, Any] = {}
    if wants_second:
        assert identity is not None
        node_list = _second_factor_nodes(identity)
        internal["identity_id"] = identity["id"]
        if refresh:
            messages.append(text.login_reauth())
        if session is not None and session["authenticator_assurance_level"] != "aal2":
            messages.append(text.login_mfa())
    else:
        aal = "aal1"
        ident = _password_identifier(identity) if (refresh and identity) else None
        node_list = _first_factor_nodes(rt, ident)
        if refresh and identity is not None:
            internal["identity_id"] = identity["id"]
            messages.append(text.login_reauth())
    extra: dict[str, Any] = {"refresh": refresh, "requested_aal": aal}
    if params.get("login_challenge"):
        extra["oauth2_login_challenge"] = params["login_challenge"]
    flow = flows.create(
        rt,
        request,
        "login",
        flow_type=flow_type,
        state="choose_method",
        nodes=node_list,
        return_to=return_to,
        csrf_cookie=csrf_cookie,
        extra=extra,
        internal=internal,
    )
    if messages:
        flow["ui"]["messages"] = messages
        flows.save(rt, flow)
    return flow


def _renew(rt: Runtime, request: Request, old: Doc) -> Doc:
    """A fresh flow to replace an expired one (same parameters)."""
    params = {"aal": old["requested_aal"], "refresh": "true" if old["refresh"] else ""}
    if old.get("return_to"):
        params["return_to"] = old["return_to"]
    cookie = flows.request_csrf_cookie(rt, request, old)
    made: Doc | Response
    try:
        made = create_flow(rt, request, flow_type=old["type"], csrf_cookie=cookie, params=params)
    except errors.KratosError:
        made = Response()
    if isinstance(made, Response):
        # signed in (or out) meanwhile: a plain first-factor flow is the honest replacement
        made = flows.create(
            rt,
            request,
            "login",
            flow_type=old["type"],
            state="choose_method",
            nodes=_first_factor_nodes(rt, None),
            csrf_cookie=cookie,
            extra={"refresh": False, "requested_aal": "aal1"},
        )
    made["ui"]["messages"] = [flows.ui_message_for_expiry("login", old)]
    flows.save(rt, made)
    return made


def csrf_cookie_name(rt: Runtime) -> str:
    return csrf.cookie_name(rt.config.public_url)


async def submit(rt: Runtime, request: Request) -> Response:
    flow = flows.load(rt, "login", request.query_params.get("flow"))
    if flows.expired_at(flow):
        return flows.answer_expired(rt, request, "login", flow, _renew(rt, request, flow))
    body = await web.read_body(request)
    if flow["type"] == "browser":
        web.check_csrf(rt.config, request, body)
    flows.clear_messages(flow)
    method = str(body.get("method") or "")
    if method == "password" and flow["requested_aal"] == "aal1":
        return _password(rt, request, flow, body)
    if method in ("totp", "lookup_secret") and flow["requested_aal"] == "aal2":
        return _second_factor(rt, request, flow, body, method)
    flows.set_form_message(flow, text.no_strategy("login"))
    return flows.respond_flow(rt, request, flow, status=400)


def _password(rt: Runtime, request: Request, flow: Doc, body: dict[str, Any]) -> Response:
    identifier = str(body.get("identifier") or "").strip()
    password = str(body.get("password") or "")
    ident_node = nodes.find(flow["ui"]["nodes"], "identifier")
    if ident_node is not None and ident_node["attributes"]["type"] != "hidden":
        ident_node["attributes"]["value"] = identifier
    missing = False
    for name, value in (("identifier", identifier), ("password", password)):
        if not value:
            nodes.add_message(flow["ui"]["nodes"], name, text.required(name))
            missing = True
    if missing:
        return flows.respond_flow(rt, request, flow, status=400)
    identity = identities.find_by_identifier(rt.store, "password", identifier.lower())
    pw = identity["credentials"].get("password") if identity else None
    hashed = str(pw["config"].get("hashed_password") or "") if pw else ""
    if identity is None or not hashed or not passwords.verify_password(rt.config, hashed, password):
        flows.set_form_message(flow, text.invalid_credentials())
        return flows.respond_flow(rt, request, flow, status=400)
    wanted = flow["_internal"].get("identity_id")
    if wanted and wanted != identity["id"]:
        raise errors.KratosError(
            403,
            error_id="security_identity_mismatch",
            reason="Another identity is already signed in; the refresh must use the same one.",
        )
    if identity["state"] != "active":
        raise errors.identity_disabled()
    session = sessions.from_request(rt, request) if flow["refresh"] else None
    if session is not None and session["identity_id"] == identity["id"]:
        sessions.add_method(rt, session, "password", session["authenticator_assurance_level"])
    else:
        session = sessions.issue(rt, identity, "password", "aal1", request)
    return _finish(rt, request, flow, identity, session)


def _second_factor(
    rt: Runtime, request: Request, flow: Doc, body: dict[str, Any], method: str
) -> Response:
    session = sessions.from_request(rt, request)
    if session is None or session["identity_id"] != flow["_internal"].get("identity_id"):
        raise errors.no_active_session()
    identity = identities.get(rt.store, session["identity_id"])
    if identity is None:
        raise errors.no_active_session()
    if method == "totp":
        code = str(body.get("totp_code") or "")
        totp = identity["credentials"].get("totp")
        if not code:
            nodes.add_message(flow["ui"]["nodes"], "totp_code", text.required("totp_code"))
            return flows.respond_flow(rt, request, flow, status=400)
        if totp is None or not mfa.totp_matches(totp["config"]["totp_url"], code):
            nodes.add_message(flow["ui"]["nodes"], "totp_code", text.totp_wrong())
            return flows.respond_flow(rt, request, flow, status=400)
    else:
        code = str(body.get("lookup_secret") or "")
        if not code:
            nodes.add_message(flow["ui"]["nodes"], "lookup_secret", text.required("lookup_secret"))
            return flows.respond_flow(rt, request, flow, status=400)
        outcome = mfa.use_lookup_code(identity, code)
        if outcome != "ok":
            message = text.lookup_already_used() if outcome == "used" else text.lookup_invalid()
            nodes.add_message(flow["ui"]["nodes"], "lookup_secret", message)
            return flows.respond_flow(rt, request, flow, status=400)
        identities.save(rt.store, rt.config, identity)
    sessions.add_method(rt, session, method, "aal2")
    return _finish(rt, request, flow, identity, session)


def _finish(rt: Runtime, request: Request, flow: Doc, identity: Doc, session: Doc) -> Response:
    flow["state"] = "passed_challenge"
    flows.save(rt, flow)
    return_to = flow.get("return_to") or rt.config.default_return_url
    needs_aal2 = (
        rt.config.whoami_required_aal == "highest_available"
        and identities.has_second_factor(identity)
        and session["authenticator_assurance_level"] != "aal2"
    )
    response: Response
    if flow["type"] == "api":
        # login/hook.go: no continue_with items on an API login (a nil slice: null), and the
        # identity left out while the session still needs its second factor
        body: dict[str, Any] = {
            "session_token": session["token"],
            "session": sessions.to_json(rt, session, identity="none" if needs_aal2 else "full"),
            "continue_with": None,
        }
        return web.json_response(body)
    if needs_aal2:
        # as Kratos's ErrAALNotSatisfied: return_to and login_challenge carry over
        target = login_browser_url(
            rt,
            aal="aal2",
            return_to=flow.get("return_to"),
            login_challenge=flow.get("oauth2_login_challenge"),
        )
        if web.is_json_request(request):
            response = web.json_response(
                {
                    "error": {
                        "id": "browser_location_change_required",
                        "code": 422,
                        "status": "Unprocessable Entity",
                        "reason": "In order to complete this flow please redirect the browser to: "
                        + target,
                        "message": "browser location change required",
                    },
                    "redirect_browser_to": target,
                },
                422,
            )
        else:
            response = web.redirect(target)
    elif web.is_json_request(request):
        response = web.json_response(
            {
                "session": sessions.to_json(rt, session),
                "continue_with": [
                    {"action": "redirect_browser_to", "redirect_browser_to": return_to}
                ],
            }
        )
    else:
        response = web.redirect(return_to)
    sessions.issue_cookie(rt, request, response, session)
    return response
