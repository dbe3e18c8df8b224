"""Kratos's continuity containers: a settings change that needed a fresh login is paused
under a cookie and finished when the browser comes back (continuity/manager_cookie.go).

Kratos keeps a container per name (one per settings strategy) in the database and their ids
in the `ory_kratos_continuity` cookie; Continue checks the identity, deletes the container and
unsets the cookie's key. Here the cookie names the one container paused last.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from devstack.kratos import clock, web
from devstack.kratos.runtime import Runtime
from devstack.kratos.store import Doc

COOKIE = "ory_kratos_continuity"
KIND = "continuity_container"
LIFESPAN = 15 * 60  # settings.ContinuityOptions: time.Minute * 15


def pause(
    rt: Runtime, response: Response, *, name: str, identity_id: str, payload: dict[str, Any]
) -> None:
    container: Doc = {
        "id": str(uuid.uuid4()),
        "name": name,
        "identity_id": identity_id,
        "payload": payload,
        "expires_at": clock.fmt(clock.later(LIFESPAN)),
    }
    rt.store.put(KIND, container["id"], container)
    response.set_cookie(
        COOKIE,
        container["id"],
        max_age=LIFESPAN,
        path="/",
        httponly=True,
        samesite="lax",
        secure=web.is_secure(rt.config),
    )


def resume(rt: Runtime, request: Request, *, identity_id: str) -> Doc | None:
    """The paused container of this browser and identity, taken (deleted) so it runs once;
    `forget` then unsets its key on the answer."""
    found = rt.store.get(KIND, request.cookies.get(COOKIE) or "")
    if found is None:
        return None
    rt.store.delete(KIND, found["id"])
    if found["identity_id"] != identity_id or clock.parse(found["expires_at"]) < clock.now():
        return None
    return found


def forget(rt: Runtime, response: Response) -> None:
    """Continue's SessionUnsetKey: the cookie is written again without the key (real Kratos
    v1.3.1 sends it twice on this answer; so does this)."""
    for _ in range(2):
        response.set_cookie(
            COOKIE,
            "",
            max_age=LIFESPAN,
            path="/",
            httponly=True,
            samesite="lax",
            secure=web.is_secure(rt.config),
        )
