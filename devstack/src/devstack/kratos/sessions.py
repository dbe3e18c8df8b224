"""Sessions: issue, look up from cookie / X-Session-Token, render, revoke."""

from __future__ import annotations

import secrets
import uuid
from typing import Any, Literal

from starlette.requests import Request
from starlette.responses import Response

from devstack.kratos import clock, csrf, identities, web
from devstack.kratos.runtime import Runtime
from devstack.kratos.store import Doc
from devstack.kratos.web import SESSION_COOKIE

KIND = "session"
TOKEN_KIND = "session_token"  # noqa: S105 (a store kind name, not a secret)


def issue(rt: Runtime, identity: Doc, method: str, aal: str, request: Request | None = None) -> Doc:
    moment = clock.now()
    session: Doc = {
        "id": str(uuid.uuid4()),
        "token": "ory_st_" + secrets.token_urlsafe(24),
        "identity_id": identity["id"],
        "active": True,
        "expires_at": clock.fmt(clock.later(rt.config.session_lifespan)),
        "authenticated_at": clock.fmt(moment),
        "issued_at": clock.fmt(moment),
        "authenticator_assurance_level": aal,
        "authentication_methods": [
            {
                "method": method,
                "aal": "aal1" if aal == "aal1" else aal,
                "completed_at": clock.fmt(moment),
            }
        ],
        "devices": [_device(request)],
    }
    save(rt, session)
    return session


def _device(request: Request | None) -> Doc:
    device: Doc = {"id": str(uuid.uuid4())}
    if request is not None:
        device["ip_address"] = request.client.host if request.client else ""
        device["user_agent"] = request.headers.get("user-agent", "")
        device["location"] = ""
    return device


def save(rt: Runtime, session: Doc) -> None:
    with rt.store.transaction():
        rt.store.put(KIND, session["id"], session)
        rt.store.set_keys(TOKEN_KIND, session["id"], [session["token"]])


def add_method(rt: Runtime, session: Doc, method: str, aal: str) -> None:
    moment = clock.now()
    session["authentication_methods"].append(
        {"method": method, "aal": aal, "completed_at": clock.fmt(moment)}
    )
    if aal == "aal2":
        session["authenticator_assurance_level"] = "aal2"
    session["authenticated_at"] = clock.fmt(moment)
    save(rt, session)


def by_token(rt: Runtime, token: str | None) -> Doc | None:
    if not token:
        return None
    found = rt.store.find_by_key(TOKEN_KIND, token)
    return None if found is None else rt.store.get(KIND, found)


def is_active(rt: Runtime, session: Doc) -> bool:
    if not session["active"] or clock.parse(session["expires_at"]) <= clock.now():
        return False
    identity = identities.get(rt.store, session["identity_id"])
    return identity is not None and identity["state"] == "active"


def from_request(rt: Runtime, request: Request) -> Doc | None:
    """The active session of the request (X-Session-Token, Bearer token or cookie)."""
    token = request.headers.get("x-session-token")
    auth = request.headers.get("authorization", "")
    if not token and auth.lower().startswith("bearer "):
        token = auth[7:].strip()
    if not token:
        token = request.cookies.get(SESSION_COOKIE)
    session = by_token(rt, token)
    if session is None or not is_active(rt, session):
        return None
    return session


def issue_cookie(rt: Runtime, request: Request, response: Response, session: Doc) -> None:
    """Kratos's IssueCookie: the session cookie, and a new anti-CSRF token unless the browser
    already held a session of the same identity (against session fixation)."""
    old = from_request(rt, request)
    if old is None or old["identity_id"] != session["identity_id"]:
        web.set_csrf_cookie(rt.config, response, csrf.new_cookie_value())
    web.set_session_cookie(rt.config, response, session["token"])


def is_privileged(rt: Runtime, session: Doc) -> bool:
    age = (clock.now() - clock.parse(session["authenticated_at"])).total_seconds()
    return age < rt.config.privileged_session_max_age


def to_json(
    rt: Runtime,
    session: Doc,
    *,
    identity: Literal["full", "bare", "none"] = "full",
    devices: Literal["shown", "empty", "null"] = "shown",
) -> dict[str, Any]:
    """The session as Kratos renders it. `identity`: "full" loads it with its addresses
    (GetSession with expand=identity, whoami); "bare" is pop's eager load that the listings use
    (no addresses: `omitempty` leaves them out); "none" renders `identity: null`. Devices not
    expanded are an empty list in GetSession and null in ListSessions (persister_session.go)."""
    out: dict[str, Any] = {
        "id": session["id"],
        "active": is_active(rt, session),
        "expires_at": session["expires_at"],
        "authenticated_at": session["authenticated_at"],
        "authenticator_assurance_level": session["authenticator_assurance_level"],
        "authentication_methods": session["authentication_methods"],
        "issued_at": session["issued_at"],
        "devices": {"shown": session["devices"], "empty": [], "null": None}[devices],
    }
    if identity == "none":
        out["identity"] = None
        return out
    found = identities.get(rt.store, session["identity_id"])
    if found is not None:
        shown = identities.to_json(rt.config, found)
        if identity == "bare":
            del shown["verifiable_addresses"], shown["recovery_addresses"]
        out["identity"] = shown
    return out


def for_identity(rt: Runtime, identity_id: str) -> list[Doc]:
    return [s for s in rt.store.all(KIND) if s["identity_id"] == identity_id]


def revoke(rt: Runtime, session: Doc) -> None:
    session["active"] = False
    save(rt, session)


def delete_for_identity(rt: Runtime, identity_id: str) -> int:
    found = for_identity(rt, identity_id)
    with rt.store.transaction():
        for s in found:
            rt.store.delete(KIND, s["id"])
            rt.store.set_keys(TOKEN_KIND, s["id"], [])
    return len(found)
