"""The one generic renderer for Kratos `ui` containers: nodes → forms the templates can print.

Every node type Kratos v25 sends is handled: input (text, email, password, hidden, checkbox,
submit/button with name and value, WebAuthn triggers), img (the TOTP QR code), text (TOTP secret,
backup codes), a, script (Kratos's WebAuthn script only) and div. Each non-default group becomes
its own form, so one method's required fields never block another's submit; hidden default
nodes (csrf_token) go into every form. A "Resend code" node gets a small form of its own after
its group's form: Kratos v25 sends it in the code group beside the required code field, either
as a submit button carrying the address (name=email, value=the address: recovery and
verification once the code is mailed) or as a required email input (a rebuilt code form), and
in the code's own form the browser would refuse to resend until a code is typed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import structlog

from login_service.config import origin_of
from login_service.errors import UnexpectedAnswerError
from login_service.i18n import kratos_text
from login_service.lazy_text import lazy_text as _l
from login_service.return_urls import is_browser_url

log = structlog.get_logger(__name__)

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
# Input attributes copied onto the <input> as they are; everything else is handled by hand.
_PASSTHROUGH = ("autocomplete", "pattern", "maxlength")
# Credential fields Kratos v25 sends without `autocomplete` get the token that lets browsers and
# password managers fill them (WCAG 1.3.5); Kratos's own value, when it sends one, wins.
_AUTOCOMPLETE_BY_NAME = {
    "identifier": "username",
    "email": "email",
    "traits.email": "email",
    "traits.username": "username",
    "code": "one-time-code",
    "totp_code": "one-time-code",
    "lookup_secret": "off",
}
_AUTOCOMPLETE_BY_TYPE = {"email": "email", "password": "current-password"}
# Buttons that remove a second factor ask first, without JavaScript: the button opens a
# <details> with the question and the button that really submits (question, its label).
_CONFIRM = {
    "totp_unlink": (
        _l("Unlink your authenticator app? Signing in will no longer ask for its code."),
        _l("Yes, unlink the app"),
    ),
    "lookup_secret_disable": (
        _l("Disable your backup recovery codes? The codes you saved will stop working."),
        _l("Yes, disable the codes"),
    ),
    "webauthn_remove": (
        _l("Remove this security key? You can no longer sign in with it."),
        _l("Yes, remove the key"),
    ),
}
_BUTTON_TYPES = frozenset({"submit", "button"})
# Nodes that submit nothing (a hidden one is left out when there is no form to carry it).
_DISPLAY_KINDS = frozenset({"a", "text", "img", "div", "hidden"})
# Kratos's "Resend code" label: a button (or an email field) that mails a new code.
_RESEND_LABEL_ID = 1070008
_EMAIL_LABEL = {"id": 1070007, "text": "Email"}
_USED_CODE_ID = 1050014
# The TOTP QR code; any other data: URL (e.g. SVG with script) is not shown.
_QR_CODE_PREFIX = ("data:image/png;base64,", "data:image/jpeg;base64,")


def _link(value: Any) -> str:
    """An href from a Kratos node: an http(s) URL or a path on our site, never `javascript:`."""
    url = str(value or "")
    if is_browser_url(url) or (url.startswith("/") and not url.startswith(("//", "/\\"))):
        return url
    return "#"


def _image_source(value: Any) -> str:
    src = str(value or "")
    return src if src.startswith(_QR_CODE_PREFIX) else _link(src)


@dataclass(frozen=True)
class MessageView:
    id: int | None
    text: str
    type: str  # info | error | success


@dataclass
class NodeView:
    kind: str  # input, hidden, checkbox, submit, button, img, text, a, script, div
    group: str
    dom_id: str
    attrs: dict[str, Any]
    label: str = ""
    messages: list[MessageView] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)  # backup recovery codes of a text node
    label_id: int | None = None  # the Kratos text id of the label, when it has one
    used_codes: list[str] = field(default_factory=list)  # "Used <date>", one per used code

    @property
    def is_resend(self) -> bool:
        return self.label_id == _RESEND_LABEL_ID and self.kind in ("input", "submit")

    @property
    def has_error(self) -> bool:
        return any(m.type == "error" for m in self.messages)

    @property
    def described_by(self) -> str:
        ids = [f"{self.dom_id}-rules"] if self.attrs.get("rules") else []
        if self.messages:
            ids.append(f"{self.dom_id}-messages")
        return " ".join(ids)

    @property
    def messages_id(self) -> str:
        return f"{self.dom_id}-messages" if self.messages else ""


@dataclass
class FormView:
    group: str
    action: str
    method: str
    nodes: list[NodeView]
    resend: bool = False  # the small "Resend code" form that follows its group's form
    submits: bool = True  # False: links and text only, printed without a <form>


@dataclass
class FlowView:
    messages: list[MessageView]
    forms: list[FormView]
    scripts: list[NodeView]


def _data(obj: Any) -> dict[str, Any]:
    if isinstance(obj, dict):
        return obj
    dump = getattr(obj, "model_dump", None)
    if callable(dump):
        dumped: dict[str, Any] = dump(mode="json")
        return dumped
    return {}  # None, or a shape Kratos should not have sent: render nothing from it


def message_views(messages: Any) -> list[MessageView]:
    views = []
    for raw in messages or []:
        data = _data(raw)
        text_id = data.get("id")
        views.append(
            MessageView(
                id=text_id if isinstance(text_id, int) else None,
                text=kratos_text(data),
                type=str(data.get("type") or "info"),
            )
        )
    return views


def _dom_id(group: str, name: str, index: int) -> str:
    base = _ID_UNSAFE.sub("-", f"{group}-{name}" if name else f"{group}-node-{index}")
    return f"node-{base}".strip("-")


def node_view(node: Any, index: int, *, kratos_origin: str) -> NodeView | None:
    """One Kratos node as a NodeView, or None for nodes we refuse to render."""
    data = _data(node)
    node_type = str(data.get("type") or "")
    group = str(data.get("group") or "default")
    attrs = dict(_data(data.get("attributes")))
    raw_label = _data(_data(data.get("meta")).get("label"))
    label = kratos_text(raw_label)
    label_id = raw_label.get("id") if isinstance(raw_label.get("id"), int) else None
    messages = message_views(data.get("messages"))

    if node_type == "input":
        input_type = str(attrs.get("type") or "text")
        name = str(attrs.get("name") or "")
        kind = {"hidden": "hidden", "checkbox": "checkbox"}.get(input_type, "input")
        if input_type in _BUTTON_TYPES:
            kind = "submit" if input_type == "submit" else "button"
        if not label and attrs.get("label"):
            label = kratos_text(attrs.get("label"))
        value = attrs.get("value")
        shown: dict[str, Any] = {
            "type": input_type,
            "name": name,
            "value": "" if value is None else ("true" if value is True else str(value)),
            "required": bool(attrs.get("required")),
            "disabled": bool(attrs.get("disabled")),
            "checked": value is True or value == "true",
            # Our static script calls window[trigger]() on click/load; inline onclick is
            # blocked by our CSP by design.
            "trigger": attrs.get("onclickTrigger") or "",
            "load_trigger": attrs.get("onloadTrigger") or "",
        }
        for key in _PASSTHROUGH:
            if attrs.get(key) not in (None, ""):
                shown[key] = attrs[key]
        if kind == "submit" and name in _CONFIRM:
            shown["confirm"], shown["confirm_label"] = (str(t) for t in _CONFIRM[name])
        if kind == "input" and "autocomplete" not in shown:
            fallback = _AUTOCOMPLETE_BY_NAME.get(name) or _AUTOCOMPLETE_BY_TYPE.get(input_type)
            if fallback:
                shown["autocomplete"] = fallback
        return NodeView(
            kind, group, _dom_id(group, name, index), shown, label, messages, label_id=label_id
        )

    if node_type == "img":
        shown = {k: attrs.get(k) for k in ("width", "height")}
        shown["src"] = _image_source(attrs.get("src"))
        return NodeView(
            "img", group, _dom_id(group, str(attrs.get("id") or ""), index), shown, label, messages
        )

    if node_type == "text":
        text = _data(attrs.get("text"))
        secrets = (_data(text.get("context")).get("secrets")) or []
        entries = [_data(s) for s in secrets]
        shown = {"text": kratos_text(text) if not entries else "", "id": attrs.get("id")}
        view = NodeView(
            "text", group, _dom_id(group, str(attrs.get("id") or ""), index), shown, label, messages
        )
        # A used code is no code any more: Kratos sends "used at <time>" in its place.
        view.codes = [str(e.get("text") or "") for e in entries if e.get("id") != _USED_CODE_ID]
        view.codes = [c for c in view.codes if c]
        view.used_codes = [kratos_text(e) for e in entries if e.get("id") == _USED_CODE_ID]
        return view

    if node_type == "a":
        shown = {"href": _link(attrs.get("href")), "title": kratos_text(attrs.get("title"))}
        return NodeView(
            "a", group, _dom_id(group, str(attrs.get("id") or ""), index), shown, label, messages
        )

    if node_type == "script":
        src = str(attrs.get("src") or "")
        # Only Kratos's own script (WebAuthn) may run; anything else in a flow is refused.
        if origin_of(src) != kratos_origin:
            log.warning("script_node_refused", group=group)
            return None
        shown = {
            k: attrs.get(k)
            for k in ("src", "integrity", "crossorigin", "referrerpolicy", "type", "nonce", "id")
            if attrs.get(k) not in (None, "")
        }
        shown["async"] = bool(attrs.get("async"))
        return NodeView(
            "script",
            group,
            _dom_id(group, str(attrs.get("id") or ""), index),
            shown,
            label,
            messages,
        )

    if node_type == "div":
        shown = {
            "id": attrs.get("id") or "",
            "class": attrs.get("class") or "",
            "data": {
                _ID_UNSAFE.sub("-", str(k)): str(v) for k, v in _data(attrs.get("data")).items()
            },
        }
        return NodeView(
            "div",
            group,
            str(attrs.get("id") or _dom_id(group, "div", index)),
            shown,
            label,
            messages,
        )

    log.warning("unknown_node_type", node_type=node_type, group=group)
    return None


def flow_view(
    ui: Any, *, kratos_origin: str, only_groups: frozenset[str] | None = None
) -> FlowView:
    """The forms of a Kratos ui container, one per group, in the order Kratos sent them."""
    data = _data(ui)
    action = str(data.get("action") or "")
    method = str(data.get("method") or "POST").upper()
    views: list[NodeView] = []
    seen_ids: set[str] = set()
    for index, node in enumerate(data.get("nodes") or []):
        view = node_view(node, index, kratos_origin=kratos_origin)
        if view is not None:
            if view.dom_id in seen_ids:  # e.g. one "remove" button per security key
                view.dom_id = f"{view.dom_id}-{index}"
            seen_ids.add(view.dom_id)
            views.append(view)
    if not (is_browser_url(action) and origin_of(action) == kratos_origin):
        # Our forms post passwords and codes: only ever to Kratos itself. A finished flow
        # (verification: GET to where the person continues) has only links: no form at all.
        if method != "GET" or any(v.kind not in _DISPLAY_KINDS for v in views):
            raise UnexpectedAnswerError("kratos", "flow form action outside Kratos")
        return FlowView(message_views(data.get("messages")), _links_only(views), [])

    scripts = [v for v in views if v.kind == "script"]
    nodes = [v for v in views if v.kind != "script"]
    shared_hidden = [v for v in nodes if v.group == "default" and v.kind == "hidden"]
    default_visible = [v for v in nodes if v.group == "default" and v.kind != "hidden"]
    groups: list[str] = []
    for v in nodes:
        if v.group != "default" and v.group not in groups:
            groups.append(v.group)
    if only_groups is not None:
        groups = [g for g in groups if g in only_groups]

    forms: list[FormView] = []
    for position, group in enumerate(groups):
        members = [v for v in nodes if v.group == group and not v.is_resend]
        # Visible default nodes (e.g. the identifier) belong with the first method only.
        leading = default_visible if position == 0 else []
        form_nodes = [_copy_for_form(v, group) for v in shared_hidden]
        forms.append(FormView(group, action, method, form_nodes + leading + members))
        group_hidden = [v for v in members if v.kind == "hidden"]
        for resend in (v for v in nodes if v.group == group and v.is_resend):
            forms.append(_resend_form(resend, shared_hidden + group_hidden, action, method))
    if not groups:
        forms.append(FormView("default", action, method, shared_hidden + default_visible))
    return FlowView(message_views(data.get("messages")), forms, scripts)


def mark_new_passwords(view: FlowView, rules: str) -> None:
    """Password fields that set a password (settings, registration) say Kratos's rules up front
    and get autocomplete="new-password" (Kratos sends none)."""
    for form in view.forms:
        for node in form.nodes:
            if node.kind == "input" and node.attrs.get("type") == "password":
                node.attrs["rules"] = rules
                node.attrs["autocomplete"] = "new-password"


def _links_only(views: list[NodeView]) -> list[FormView]:
    """The nodes of a flow that continues outside Kratos, by group, with no form to submit."""
    shown = [v for v in views if v.kind != "hidden"]
    groups = list(dict.fromkeys(v.group for v in shown))
    return [
        FormView(g, "", "GET", [v for v in shown if v.group == g], submits=False) for g in groups
    ]


def _resend_form(resend: NodeView, hidden: list[NodeView], action: str, method: str) -> FormView:
    """The resend node as its own form: the hidden fields (csrf, method=code, ...) and the node.

    A button carries the address itself; an email field gets a nameless button after it.
    """
    suffix = f"{resend.group}-resend"
    form_nodes = [_copy_for_form(v, suffix) for v in hidden]
    if not any(v.attrs.get("name") == "method" for v in hidden):
        # Kratos reads the method from the form; the code method's own hidden field, if missing.
        form_nodes.append(
            NodeView(
                "hidden",
                resend.group,
                f"node-{suffix}-method",
                {"type": "hidden", "name": "method", "value": "code"},
            )
        )
    if resend.kind == "submit":
        return FormView(
            resend.group, action, method, [*form_nodes, _copy_for_form(resend, suffix)], True
        )
    field_view = NodeView(
        resend.kind,
        resend.group,
        f"{resend.dom_id}-resend",
        resend.attrs,
        kratos_text(_EMAIL_LABEL) if resend.attrs.get("type") == "email" else resend.label,
        resend.messages,
        label_id=resend.label_id,
    )
    # No name: the hidden method=code is what Kratos reads; the button only submits.
    button = NodeView(
        "submit",
        resend.group,
        f"node-{suffix}-submit",
        {"type": "submit", "name": "", "value": "", "disabled": False, "trigger": ""},
        resend.label,
    )
    return FormView(resend.group, action, method, [*form_nodes, field_view, button], True)


def _copy_for_form(view: NodeView, group: str) -> NodeView:
    # The same hidden node printed in several forms needs a distinct id in each.
    return NodeView(
        view.kind,
        view.group,
        f"{view.dom_id}-{group}",
        view.attrs,
        view.label,
        view.messages,
        view.codes,
        view.label_id,
    )
