"""Steps the code method shares between recovery and verification flows."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response

from devstack.kratos import flows, nodes, text
from devstack.kratos.nodes import Node
from devstack.kratos.runtime import Runtime
from devstack.kratos.store import Doc
from devstack.kratos.text import UiText


def csrf_nodes(flow: Doc) -> list[Node]:
    """The flow's csrf_token node (none for API flows), kept when the form is rebuilt."""
    return [n for n in flow["ui"]["nodes"] if n["attributes"].get("name") == "csrf_token"]


def restart(
    rt: Runtime,
    request: Request,
    kind: str,
    old: Doc,
    choose_nodes: Callable[[], list[Node]],
    message: UiText,
) -> Doc:
    """A saved new flow like `old` (kind, type, return_to) at choose_method, showing `message`."""
    cookie = flows.request_csrf_cookie(rt, request, old)
    new = flows.create(
        rt,
        request,
        kind,
        flow_type=old["type"],
        state="choose_method",
        nodes=choose_nodes(),
        return_to=old.get("return_to"),
        csrf_cookie=cookie,
        extra={"active": "code"},
    )
    new["ui"]["messages"] = [message]
    flows.save(rt, new)
    return new


def replace_expired(
    rt: Runtime, request: Request, kind: str, old: Doc, choose_nodes: Callable[[], list[Node]]
) -> Response:
    """An expired flow's submission: a new flow; JSON and API clients get 410 with its id."""
    new = restart(rt, request, kind, old, choose_nodes, flows.ui_message_for_expiry(kind, old))
    return flows.answer_expired(rt, request, kind, old, new)


def refuse_submission(
    rt: Runtime, request: Request, kind: str, flow: Doc, body: Doc, already_passed: UiText
) -> Response | None:
    """400 with the flow when it has already passed or the method is not code; None to go on."""
    flows.clear_messages(flow)
    if flow["state"] == "passed_challenge":
        flows.set_form_message(flow, already_passed)
        return flows.respond_flow(rt, request, flow, status=400)
    if body.get("method") not in ("code", None, ""):
        flows.set_form_message(flow, text.no_strategy(kind))
        return flows.respond_flow(rt, request, flow, status=400)
    return None


def missing_input(rt: Runtime, request: Request, flow: Doc) -> Response:
    """400: neither a code (once mailed) nor an address was given; the empty field says so."""
    name = "code" if flow["state"] == "sent_email" else "email"
    nodes.add_message(flow["ui"]["nodes"], name, text.required(name))
    return flows.respond_flow(rt, request, flow, status=400)
