"""Settings flow: profile traits, password, TOTP link/unlink, lookup secrets (backup codes)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import segno
from starlette.requests import Request
from starlette.responses import Response

from devstack.kratos import (
    clock,
    continuity,
    errors,
    flows,
    identities,
    login,
    mfa,
    nodes,
    password_policy,
    passwords,
    sessions,
    text,
    verification,
    web,
    web_hooks,
    webauthn,
)
from devstack.kratos.nodes import Node
from devstack.kratos.runtime import Runtime
from devstack.kratos.store import Doc

PRIVILEGED_METHODS = ("password", "totp", "lookup_secret")

# selfservice/flow/settings/sort.go (v1.3.1 and v25.4.0; v25 adds passkey after webauthn)
GROUP_ORDER = (
    "default",
    "profile",
    "password",
    "oidc",
    "lookup_secret",
    "webauthn",
    "passkey",
    "totp",
)
KEYS_APPENDED = (
    "lookup_secret_reveal",
    "lookup_secret_regenerate",
    "lookup_secret_codes",
    "lookup_secret_confirm",
    "webauthn_remove",
    "webauthn_register_displayname",
    "webauthn_register",
    "passkey_remove",
    "passkey_register",
    "totp_qr",
    "totp_secret_key",
    "totp_unlink",
    "totp_code",
)


def sort_nodes(schema_keys: list[str], found: list[Node]) -> list[Node]:
    """Kratos's settings node order (ui/node/node.go SortBySchema): by group, then inside a
    group by the first key (schema traits, then KEYS_APPENDED) the node's id starts with,
    `method` last, equal positions by value."""
    keys = [*schema_keys, *KEYS_APPENDED]

    def node_id(n: Node) -> str:
        return str(n["attributes"].get("name") or n["attributes"].get("id") or "")

    def position(n: Node) -> int:
        if node_id(n) == "method":
            return len(found) + len(keys) + 1
        return next((i for i, k in enumerate(keys) if node_id(n).startswith(k)), len(keys))

    def value(n: Node) -> str:
        a = n["attributes"]
        raw = a.get("value") if a.get("node_type") == "input" else a.get("src", a.get("text"))
        return "<nil>" if raw is None else str(raw)

    def group(n: Node) -> int:
        g = n["group"]
        return GROUP_ORDER.index(g) if g in GROUP_ORDER else -1

    return sorted(found, key=lambda n: (group(n), position(n), value(n)))


def _qr_data_uri(url: str) -> str:
    return str(segno.make(url, error="m").png_data_uri(scale=6, border=2))


def _totp_account(rt: Runtime, identity: Doc) -> str:
    for f in identities.load_schema(rt.config).fields:
        if f.totp_account_name:
            value = (identity["traits"] or {}).get(f.name)
            if isinstance(value, str) and value:
                return value
    return str(identity["id"])


def _lookup_node(codes: list[dict[str, Any]]) -> Node:
    messages: list[text.UiText] = []
    formatted: list[str] = []
    for c in codes:
        if c.get("used_at"):
            messages.append(text.settings_lookup_secret_used(clock.parse(c["used_at"])))
            formatted.append("used")
        else:
            messages.append(text.settings_lookup_secret(c["code"]))
            formatted.append(c["code"])
    return nodes.text_node(
        "lookup_secret_codes",
        text.settings_lookup_secret_list(formatted, messages),
        "lookup_secret",
        label=text.settings_lookup_secrets_label(),
    )


def build_nodes(rt: Runtime, flow: Doc, identity: Doc, *, lookup_view: str = "") -> list[Node]:
    """All settings nodes for the identity as it is now (csrf node kept as first)."""
    internal = flow["_internal"]
    out: list[Node] = [
        n for n in flow["ui"]["nodes"] if n["attributes"].get("name") == "csrf_token"
    ]
    schema = identities.load_schema(rt.config)
    out += nodes.trait_nodes(schema, "profile", identity["traits"])
    out.append(nodes.submit("method", "profile", "profile", text.label_save()))
    out.append(
        nodes.input_node(
            "password",
            "password",
            "password",
            required=True,
            autocomplete="new-password",
            label=text.label_password(),
        )
    )
    out.append(nodes.submit("method", "password", "password", text.label_save()))
    creds = identity["credentials"]
    if "totp" in creds:
        unlink = nodes.submit("totp_unlink", "true", "totp", text.settings_unlink_totp())
        unlink["attributes"]["required"] = True
        out.append(unlink)
        internal.pop("totp_url", None)
    else:
        url = internal.get("totp_url") or mfa.totp_url(
            mfa.new_totp_secret(), _totp_account(rt, identity), rt.config.totp_issuer
        )
        internal["totp_url"] = url
        secret = url.split("secret=")[1].split("&")[0]
        out.append(
            nodes.text_node(
                "totp_secret_key",
                text.settings_totp_secret(secret),
                "totp",
                label=text.settings_totp_secret_label(),
            )
        )
        out.append(nodes.image_node("totp_qr", _qr_data_uri(url), "totp", text.settings_totp_qr()))
        out.append(
            nodes.input_node(
                "totp_code", "totp", "text", required=True, label=text.label_verify_otp()
            )
        )
        out.append(nodes.submit("method", "totp", "totp", text.label_save()))
    if lookup_view == "revealed" and "lookup_secret" in creds:
        out.append(_lookup_node(creds["lookup_secret"]["config"]["recovery_codes"]))
        out.append(_lookup_submit("lookup_secret_disable", text.settings_disable_lookup()))
        out.append(_lookup_submit("lookup_secret_regenerate", text.settings_regenerate_lookup()))
    elif lookup_view == "regenerated":
        out.append(_lookup_node(internal["lookup_codes"]))
        out.append(_lookup_submit("lookup_secret_confirm", text.settings_lookup_confirm()))
    elif "lookup_secret" in creds:
        out.append(_lookup_submit("lookup_secret_reveal", text.settings_reveal_lookup()))
        out.append(_lookup_submit("lookup_secret_disable", text.settings_disable_lookup()))
    else:
        out.append(_lookup_submit("lookup_secret_regenerate", text.settings_regenerate_lookup()))
    if rt.config.webauthn_nodes and flow["type"] == "browser":
        out += webauthn.settings_nodes(rt.config, identity)
    return sort_nodes([f"traits.{f.name}" for f in schema.fields], out)


def _lookup_submit(name: str, label: text.UiText) -> Node:
    return nodes.submit(name, "true", "lookup_secret", label)


def create_flow(
    rt: Runtime,
    request: Request,
    *,
    flow_type: str,
    csrf_cookie: str | None,
    params: dict[str, str],
) -> Doc | Response:
    session = sessions.from_request(rt, request)
    if session is None:
        if web.accepts_json(request) or flow_type == "api":
            raise errors.no_active_session()
        # settings/handler.go: a browser goes to the login flow's init URL, keeping return_to
        # (x.TakeOverReturnToParameter copies it unchecked; the login flow checks it)
        target = rt.config.public_url.rstrip("/") + "/self-service/login/browser"
        if params.get("return_to"):
            target += "?" + urlencode({"return_to": params["return_to"]})
        return web.redirect(target)
    identity = identities.get(rt.store, session["identity_id"])
    assert identity is not None
    return_to = flows.checked_return_to(rt.config, params.get("return_to"))
    if needs_aal2(rt, session, identity):
        target = login.login_browser_url(
            rt, aal="aal2", return_to=flows.public_request_url(rt.config, request)
        )
        if web.accepts_json(request) or flow_type == "api":
            raise errors.aal2_required(target)
        return web.redirect(target)
    return new_flow(
        rt, request, identity, flow_type=flow_type, csrf_cookie=csrf_cookie, return_to=return_to
    )


def new_flow(
    rt: Runtime,
    request: Request,
    identity: Doc,
    *,
    flow_type: str,
    csrf_cookie: str | None,
    return_to: str | None = None,
) -> Doc:
    flow = flows.create(
        rt,
        request,
        "settings",
        flow_type=flow_type,
        state="show_form",
        nodes=[],
        return_to=return_to,
        csrf_cookie=csrf_cookie,
        extra={"identity": identities.to_json(rt.config, identity)},
        internal={"identity_id": identity["id"]},
    )
    flow["ui"]["nodes"] = build_nodes(rt, flow, identity)
    flows.save(rt, flow)
    return flow


def needs_aal2(rt: Runtime, session: Doc, identity: Doc) -> bool:
    return (
        rt.config.settings_required_aal == "highest_available"
        and identities.has_second_factor(identity)
        and session["authenticator_assurance_level"] != "aal2"
    )


def _reauth_response(
    rt: Runtime, request: Request, flow: Doc, session: Doc, method: str, body: dict[str, Any]
) -> Response:
    """settings/error.go on NewFlowNeedsReAuth: back through a refresh login to Kratos's own
    /self-service/settings?flow=…, where a browser flow's paused change then finishes."""
    resume_at = flows.with_query(f"{rt.config.public_url}self-service/settings", flow=flow["id"])
    target = login.login_browser_url(rt, refresh=True, return_to=resume_at)
    response: Response
    if web.is_json_request(request) or flow["type"] == "api":
        err = errors.KratosError(
            403,
            error_id="session_refresh_required",
            reason="The login session is too old and thus not allowed to update these fields. "
            "Please re-authenticate.",
            extra={"redirect_browser_to": target},
        )
        response = web.error_response(err)
    else:
        response = web.redirect(target)
    if flow["type"] == "browser":  # "we can't save cookies in those [API] flows"
        continuity.pause(
            rt,
            response,
            name=f"ory_kratos_settings_{method}",
            identity_id=session["identity_id"],
            payload={**body, "flow": flow["id"]},
        )
    return response


def resume(rt: Runtime, request: Request) -> Response:
    """GET /self-service/settings?flow=…, where a refresh login returns to: the change paused
    for it runs now (settings.PrepareUpdate → ErrContinuePreviousAction); without one, the
    browser goes back to the settings UI."""
    flow = flows.load(rt, "settings", request.query_params.get("flow"))
    session = sessions.from_request(rt, request)
    if session is None:
        return web.redirect(rt.config.login_ui_url)
    identity = identities.get(rt.store, session["identity_id"])
    assert identity is not None
    paused = continuity.resume(rt, request, identity_id=session["identity_id"])
    if paused is None or paused["payload"].get("flow") != flow["id"]:
        return web.redirect(flows.ui_redirect_url(rt.config, flow))
    response = _apply(rt, request, flow, session, identity, paused["payload"])
    continuity.forget(rt, response)
    return response


async def submit(rt: Runtime, request: Request) -> Response:
    flow = flows.load(rt, "settings", request.query_params.get("flow"))
    session = sessions.from_request(rt, request)
    as_json = flow["type"] == "api" or web.is_json_request(request)
    if session is None:
        if as_json:
            raise errors.no_active_session()
        return web.redirect(login.login_browser_url(rt))
    identity = identities.get(rt.store, session["identity_id"])
    assert identity is not None
    if session["identity_id"] != flow["_internal"]["identity_id"]:
        raise errors.KratosError(
            403,
            error_id="security_identity_mismatch",
            reason="The flow was interrupted with session_refresh_required but apparently some "
            "other identity logged in instead.",
        )
    if flows.expired_at(flow):
        new = new_flow(
            rt,
            request,
            identity,
            flow_type=flow["type"],
            csrf_cookie=flows.request_csrf_cookie(rt, request, flow),
            return_to=flow.get("return_to"),
        )
        new["ui"]["messages"] = [flows.ui_message_for_expiry("settings", flow)]
        flows.save(rt, new)
        return flows.answer_expired(rt, request, "settings", flow, new)
    body = await web.read_body(request)
    if flow["type"] == "browser":
        web.check_csrf(rt.config, request, body)
    return _apply(rt, request, flow, session, identity, body)


def _apply(
    rt: Runtime, request: Request, flow: Doc, session: Doc, identity: Doc, body: dict[str, Any]
) -> Response:
    as_json = flow["type"] == "api" or web.is_json_request(request)
    if needs_aal2(rt, session, identity):
        target = login.login_browser_url(rt, aal="aal2")
        if as_json:
            raise errors.aal2_required(target)
        return web.redirect(target)
    flows.clear_messages(flow)
    flow["state"] = "show_form"
    method = _method_of(body)
    if method is None:
        flows.set_form_message(flow, text.no_strategy("settings"))
        return flows.respond_flow(rt, request, flow, status=400)
    if method in PRIVILEGED_METHODS and not sessions.is_privileged(rt, session):
        return _reauth_response(rt, request, flow, session, method, body)
    if method == "profile":
        return _profile(rt, request, flow, session, identity, body)
    if method == "password":
        return _password(rt, request, flow, identity, body)
    if method == "totp":
        return _totp(rt, request, flow, session, identity, body)
    if method == "webauthn":
        flows.set_form_message(flow, webauthn.not_available())
        return flows.respond_flow(rt, request, flow, status=400)
    return _lookup(rt, request, flow, session, identity, body)


def _method_of(body: dict[str, Any]) -> str | None:
    method = body.get("method")
    if method in ("profile", "password", "totp", "lookup_secret", "webauthn"):
        return str(method)
    if body.get("webauthn_register") or body.get("webauthn_remove"):
        return "webauthn"
    if _truthy(body.get("totp_unlink")):
        return "totp"
    if any(
        _truthy(body.get(f"lookup_secret_{k}"))
        for k in ("reveal", "regenerate", "confirm", "disable")
    ):
        return "lookup_secret"
    return None


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _success(
    rt: Runtime, request: Request, flow: Doc, identity: Doc, body: dict[str, Any]
) -> Response:
    """settings/hook.go PostSettingsHook: the verification hook (on with verification, for
    every settings method) mails each address still `pending`; a browser flow gets the
    session cookie again. continue_with items are transient: only the submission's JSON
    answer carries them (a JSON browser request also a redirect_browser_to), never the
    stored flow."""
    continue_with = verification.send_for_new_address(
        rt, request, identity, transient_payload=web.transient_payload(body)
    )
    if continue_with:
        identity = identities.get(rt.store, identity["id"]) or identity
    return_to = flow.get("return_to") or flows.ui_redirect_url(rt.config, flow)
    flow["state"] = "success"
    flow["identity"] = identities.to_json(rt.config, identity)
    flow["ui"]["nodes"] = build_nodes(rt, flow, identity)
    flows.set_form_message(flow, text.settings_saved())
    flows.save(rt, flow)
    shown = flows.public(flow)
    if continue_with:
        shown["continue_with"] = continue_with
    if flow["type"] == "api":
        return web.json_response(shown)
    response: Response
    if web.is_json_request(request):
        redirect = {"action": "redirect_browser_to", "redirect_browser_to": return_to}
        shown["continue_with"] = [*continue_with, redirect]
        response = web.json_response(shown)
    else:
        response = web.redirect(return_to)
    session = sessions.from_request(rt, request)
    if session is not None:
        sessions.issue_cookie(rt, request, response, session)
    return response


def _profile(
    rt: Runtime, request: Request, flow: Doc, session: Doc, identity: Doc, body: dict[str, Any]
) -> Response:
    if isinstance(body.get("traits"), dict):
        traits = dict(body["traits"])
    else:
        traits = {k[7:]: v for k, v in body.items() if k.startswith("traits.")}
    traits = {k: v for k, v in traits.items() if v not in ("", None)}
    for n in flow["ui"]["nodes"]:
        name = n["attributes"].get("name", "")
        if name.startswith("traits.") and n["group"] == "profile":
            n["attributes"].pop("value", None)  # a trait not sent has no value, as in Kratos
            if name[7:] in traits:
                n["attributes"]["value"] = traits[name[7:]]
    old_identifiers = _identifiers(rt, identity["traits"])
    if _identifiers(rt, traits) != old_identifiers and not sessions.is_privileged(rt, session):
        return _reauth_response(rt, request, flow, session, "profile", body)
    updated = {**identity, "traits": traits}
    try:
        identities.save(rt.store, rt.config, updated)
    except identities.TraitsInvalidError as exc:
        for name, message in exc.problems:
            if not nodes.add_message(flow["ui"]["nodes"], name, message):
                flows.add_form_message(flow, message)
        return flows.respond_flow(rt, request, flow, status=400)
    except identities.DuplicateIdentifierError:
        flows.set_form_message(flow, text.duplicate_credentials())
        return flows.respond_flow(rt, request, flow, status=400)
    web_hooks.profile_saved(rt.config, identity["id"])
    return _success(rt, request, flow, updated, body)


def _identifiers(rt: Runtime, traits: Any) -> list[str]:
    values = traits if isinstance(traits, dict) else {}
    return [
        str(values.get(f.name, "")).lower()
        for f in identities.load_schema(rt.config).password_identifiers
    ]


def _password(
    rt: Runtime, request: Request, flow: Doc, identity: Doc, body: dict[str, Any]
) -> Response:
    password = str(body.get("password") or "")
    problem: text.UiText | None = None
    if not password:
        problem = text.required("password")
    elif _is_current_password(rt, identity, password):
        problem = text.password_same_as_old()
    else:
        problem = password_policy.problem(rt.config, password, _identifiers(rt, identity["traits"]))
    if problem is not None:
        nodes.add_message(flow["ui"]["nodes"], "password", problem)
        return flows.respond_flow(rt, request, flow, status=400)
    identities.set_password(rt.config, identity, plain=password, hashed=None)
    identities.save(rt.store, rt.config, identity)
    return _success(rt, request, flow, identity, body)


def _is_current_password(rt: Runtime, identity: Doc, password: str) -> bool:
    current = identity["credentials"].get("password", {}).get("config", {}).get("hashed_password")
    return bool(current) and passwords.verify_password(rt.config, str(current), password)


def _totp(
    rt: Runtime, request: Request, flow: Doc, session: Doc, identity: Doc, body: dict[str, Any]
) -> Response:
    if "totp" in identity["credentials"]:
        if _truthy(body.get("totp_unlink")):
            identities.remove_credential(identity, "totp")
            identities.save(rt.store, rt.config, identity)
        return _success(rt, request, flow, identity, body)
    code = str(body.get("totp_code") or "")
    url = flow["_internal"].get("totp_url")
    if not code:
        nodes.add_message(flow["ui"]["nodes"], "totp_code", text.required("totp_code"))
        return flows.respond_flow(rt, request, flow, status=400)
    if not url or not mfa.totp_matches(url, code):
        nodes.add_message(flow["ui"]["nodes"], "totp_code", text.totp_wrong())
        return flows.respond_flow(rt, request, flow, status=400)
    identities.set_credential(identity, "totp", {"totp_url": url})
    identities.save(rt.store, rt.config, identity)
    flow["_internal"].pop("totp_url", None)
    sessions.add_method(rt, session, "totp", "aal2")
    return _success(rt, request, flow, identity, body)


def _lookup(
    rt: Runtime, request: Request, flow: Doc, session: Doc, identity: Doc, body: dict[str, Any]
) -> Response:
    internal = flow["_internal"]
    if _truthy(body.get("lookup_secret_confirm")):
        codes = internal.pop("lookup_codes", None)
        if not codes:
            raise errors.bad_request(
                "You must (re-)generate recovery backup codes before you can save them."
            )
        identities.set_credential(identity, "lookup_secret", {"recovery_codes": codes})
        identities.save(rt.store, rt.config, identity)
        sessions.add_method(rt, session, "lookup_secret", "aal2")
        return _success(rt, request, flow, identity, body)
    if _truthy(body.get("lookup_secret_disable")):
        identities.remove_credential(identity, "lookup_secret")
        identities.save(rt.store, rt.config, identity)
        internal.pop("lookup_codes", None)
        return _success(rt, request, flow, identity, body)
    if _truthy(body.get("lookup_secret_regenerate")):
        internal["lookup_codes"] = mfa.new_lookup_codes()
        flow["ui"]["nodes"] = build_nodes(rt, flow, identity, lookup_view="regenerated")
    elif _truthy(body.get("lookup_secret_reveal")) and "lookup_secret" in identity["credentials"]:
        flow["ui"]["nodes"] = build_nodes(rt, flow, identity, lookup_view="revealed")
    else:
        flows.set_form_message(flow, text.no_strategy("settings"))
        return flows.respond_flow(rt, request, flow, status=400)
    return flows.respond_flow(rt, request, flow)
