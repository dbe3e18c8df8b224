"""UI node builders: the `ui.nodes` entries of Kratos flows."""

from __future__ import annotations

from typing import Any

from devstack.kratos import csrf, text
from devstack.kratos.schema import IdentitySchema

Node = dict[str, Any]


def input_node(
    name: str,
    group: str,
    type_: str,
    *,
    value: Any = None,
    required: bool = False,
    label: text.UiText | None = None,
    autocomplete: str | None = None,
    disabled: bool = False,
    pattern: str | None = None,
    maxlength: int | None = None,
) -> Node:
    attrs: dict[str, Any] = {"name": name, "type": type_}
    if value is not None:
        attrs["value"] = value
    if required:
        attrs["required"] = True
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    if pattern:
        attrs["pattern"] = pattern
    if maxlength is not None:
        attrs["maxlength"] = maxlength
    attrs["disabled"] = disabled
    attrs["node_type"] = "input"
    meta: dict[str, Any] = {"label": label} if label else {}
    return {"type": "input", "group": group, "attributes": attrs, "messages": [], "meta": meta}


def csrf_node(token: str) -> Node:
    return input_node(csrf.FIELD, "default", "hidden", value=token, required=True)


def submit(name: str, value: str, group: str, label: text.UiText) -> Node:
    return input_node(name, group, "submit", value=value, label=label)


def text_node(id_: str, message: text.UiText, group: str, label: text.UiText | None = None) -> Node:
    return {
        "type": "text",
        "group": group,
        "attributes": {"text": message, "id": id_, "node_type": "text"},
        "messages": [],
        "meta": {"label": label} if label else {},
    }


def image_node(id_: str, src: str, group: str, label: text.UiText, size: int = 256) -> Node:
    return {
        "type": "img",
        "group": group,
        "attributes": {"src": src, "id": id_, "width": size, "height": size, "node_type": "img"},
        "messages": [],
        "meta": {"label": label},
    }


def anchor_node(id_: str, href: str, group: str, title: text.UiText) -> Node:
    return {
        "type": "a",
        "group": group,
        "attributes": {"href": href, "title": title, "id": id_, "node_type": "a"},
        "messages": [],
        "meta": {"label": title},
    }


def script_node(id_: str, src: str, group: str, nonce: str) -> Node:
    return {
        "type": "script",
        "group": group,
        "attributes": {
            "src": src,
            "async": True,
            "referrerpolicy": "no-referrer",
            "crossorigin": "anonymous",
            "integrity": "",
            "type": "text/javascript",
            "id": id_,
            "nonce": nonce,
            "node_type": "script",
        },
        "messages": [],
        "meta": {},
    }


def trait_nodes(
    schema: IdentitySchema, group: str, values: dict[str, Any] | None = None
) -> list[Node]:
    """One input per trait, as Kratos derives them from the identity schema (type and
    autocomplete from `format`, `pattern`, `required`, label from `title`; no maxlength)."""
    out: list[Node] = []
    for f in schema.fields:
        name = f"traits.{f.name}"
        fmt = f.spec.get("format")
        type_ = {
            "email": "email",
            "date": "date",
            "date-time": "datetime-local",
            "uri": "url",
            "tel": "tel",
        }.get(str(fmt), "text")
        if f.spec.get("type") in ("number", "integer"):
            type_ = "number"
        elif f.spec.get("type") == "boolean":
            type_ = "checkbox"
        value = (values or {}).get(f.name)
        out.append(
            input_node(
                name,
                group,
                type_,
                value=value,
                required=f.required,
                label=text.label_generated(f.title, name) if f.title else None,
                autocomplete={"email": "email", "tel": "tel", "uri": "url"}.get(str(fmt)),
                pattern=f.spec.get("pattern"),
            )
        )
    return out


def find(nodes: list[Node], name: str) -> Node | None:
    for n in nodes:
        if n["attributes"].get("name") == name:
            return n
    return None


def add_message(nodes: list[Node], name: str, message: text.UiText) -> bool:
    n = find(nodes, name)
    if n is None:
        return False
    n["messages"].append(message)
    return True


def clear_messages(nodes: list[Node]) -> None:
    for n in nodes:
        n["messages"] = []
