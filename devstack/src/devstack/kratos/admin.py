"""Kratos admin API: identities, sessions, courier messages, recovery links and codes."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from devstack.json_patch import PatchError, apply_patch
from devstack.kratos import (
    clock,
    errors,
    identities,
    paging,
    recovery,
    schema,
    sessions,
    web,
)
from devstack.kratos.runtime import Runtime
from devstack.kratos.store import Doc


def _expandables(request: Request) -> set[str]:
    """The session's `expand` options (case-insensitive; session/expand.go ParseExpandable)."""
    found: set[str] = set()
    for value in request.query_params.getlist("expand"):
        if value.lower() not in ("identity", "devices"):
            raise errors.bad_request(f"Could not parse expand option: {value}")
        found.add(value.lower())
    return found


def _identity_or_404(rt: Runtime, identity_id: str) -> Doc:
    found = identities.get(rt.store, identity_id)
    if found is None:
        raise errors.not_found()
    return found


def _render(rt: Runtime, identity: Doc, declassify: list[str] | None = None) -> Doc:
    return identities.to_json(
        rt.config, identity, credentials=True, declassify=declassify, admin_metadata=True
    )


def _written(rt: Runtime, identity: Doc, body: Any) -> Doc:
    """A create/update answer: Kratos marshals the decoded identity, whose unsent
    metadata_admin (a nil NullJSONRawMessage) `omitempty` leaves out; reads show null."""
    shown = _render(rt, identity)
    if shown.get("metadata_admin") is None:
        shown.pop("metadata_admin", None)
    return shown


UNIQUE_VIOLATION = (
    "Unable to insert or update resource because a resource with that value exists already"
)


def _patched_addresses(stored: list[Doc], value: Any) -> list[Doc]:
    """Patched verifiable addresses, which Kratos stores as given (an admin marks one verified
    this way); the traits still decide which addresses exist (`identities.derive` matches by
    value)."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(a, dict) and isinstance(a.get("value"), str) for a in value
    ):
        raise errors.bad_request("verifiable_addresses must be a list of addresses")
    moment = web_now()
    before = {a["value"]: a for a in stored}
    addresses: list[Doc] = []
    for given in value:
        verified = given.get("verified", False)
        if not isinstance(verified, bool) or not isinstance(given.get("status", ""), str):
            raise errors.bad_request("verifiable_addresses: verified is a boolean, status a string")
        address = dict(given)
        if address == before.get(address["value"]):
            addresses.append(address)
            continue
        if verified and not address.get("verified_at"):
            address["verified_at"] = moment
        address["updated_at"] = moment
        addresses.append(address)
    return addresses


def _save_or_error(rt: Runtime, identity: Doc, *, creating: bool = False) -> None:
    """Store; a taken identifier is Kratos's 409: with a reason on create, sqlcon's on update."""
    try:
        identities.save(rt.store, rt.config, identity)
    except identities.TraitsInvalidError as exc:
        reasons = "; ".join(f"{p[0]}: {p[1]['text']}" for p in exc.problems)
        raise errors.bad_request(
            f"The request was malformed or contained invalid parameters: {reasons}"
        ) from exc
    except identities.DuplicateIdentifierError as exc:
        if not creating:
            raise errors.KratosError(409, message=UNIQUE_VIOLATION) from exc
        raise errors.conflict(
            "This identity conflicts with another identity that already exists."
        ) from exc


def routes(rt: Runtime) -> list[Route]:
    async def list_identities(request: Request) -> Response:
        ids = request.query_params.getlist("ids")
        ident = request.query_params.get("credentials_identifier")
        if ident:  # at most one identity: its unique key, then the ids filter on it
            one = identities.find_by_identifier(rt.store, "password", ident.lower())
            found = [one] if one and (not ids or one["id"] in ids) else []
            page, headers = paging.by_key(request, found)
        else:  # one page read by keyset from the store (ids: one IN query), only it decoded
            size, after = paging.page_params(request)
            if ids:
                rows = rt.store.some(identities.KIND, ids, after=after, limit=size + 1)
            else:
                rows = rt.store.all(identities.KIND, after=after, limit=size + 1)
            page = rows[:size]
            next_key = str(page[-1]["id"]) if len(rows) > size else None
            headers = {"Link": paging.link_header(request, size, next_key)}
        declassify = request.query_params.getlist("include_credential") or None
        schema_url = identities.load_schema(rt.config).schema_url(rt.config.public_url)
        rendered = [
            identities.to_json(
                rt.config,
                i,
                # Kratos expands credentials only for a credentials_identifier or include_credential
                credentials=bool(ident or declassify),
                declassify=declassify,
                admin_metadata=True,
                schema_url=schema_url,
            )
            for i in page
        ]
        return web.json_response(rendered, headers=headers)

    async def create_identity(request: Request) -> Response:
        body = await web.read_json(request)
        identity = identities.from_create_body(rt.config, body)
        _save_or_error(rt, identity, creating=True)
        # Kratos appends "identities/<id>" to its admin base URL (no "admin/" segment)
        location = f"{rt.config.admin_url}identities/{identity['id']}"
        return web.json_response(_written(rt, identity, body), 201, headers={"Location": location})

    async def batch_identities(request: Request) -> Response:
        body = await web.read_json(request)
        items = body.get("identities") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise errors.bad_request("The request body must contain an identities array.")
        if len(items) > 1000:
            raise errors.bad_request("Too many identities in one batch (max 1000).")
        results: list[Doc] = []
        for item in items:
            result: Doc = {}
            if isinstance(item, dict) and item.get("patch_id"):
                result["patch_id"] = item["patch_id"]
            try:
                if not isinstance(item, dict) or not isinstance(item.get("create"), dict):
                    raise errors.bad_request("Each patch needs a create object.")
                identity = identities.from_create_body(rt.config, item["create"])
                _save_or_error(rt, identity, creating=True)
                result.update(action="create", identity=identity["id"])
            except errors.KratosError as exc:
                if exc.code == 409:  # the batch reports sqlcon's unique violation, no reason
                    exc = errors.KratosError(409, message=UNIQUE_VIOLATION)
                result.update(action="error", error=exc.inner())
            results.append(result)
        if results and all(r["action"] == "error" for r in results):
            codes = {r["error"]["code"] for r in results}
            code = 409 if codes == {409} else 400
            raise errors.KratosError(code, reason="All identities in the batch failed.")
        return web.json_response({"identities": results})

    async def get_identity(request: Request) -> Response:
        identity = _identity_or_404(rt, request.path_params["id"])
        declassify = request.query_params.getlist("include_credential") or None
        return web.json_response(_render(rt, identity, declassify))

    async def update_identity(request: Request) -> Response:
        identity = _identity_or_404(rt, request.path_params["id"])
        body = await web.read_json(request)
        if not isinstance(body, dict):
            raise errors.bad_request("The request body must be a JSON object.")
        if body.get("schema_id") != schema.SCHEMA_ID:
            raise errors.bad_request(
                f"unable to find JSON Schema ID: {body.get('schema_id') or ''}"
            )
        state = body.get("state")
        if state not in identities.STATES:
            raise errors.bad_request(
                f"The supplied state ('{state or ''}') was not valid. "
                "Valid states are ('active', 'inactive')."
            )
        if state != identity["state"]:
            identity["state_changed_at"] = web_now()
        identity.update(state=state, traits=body.get("traits"))
        if "metadata_public" in body:
            identity["metadata_public"] = body["metadata_public"]
        if "metadata_admin" in body:
            identity["metadata_admin"] = body["metadata_admin"]
        if body.get("external_id"):
            identity["external_id"] = str(body["external_id"])
        identities.import_credentials(rt.config, identity, body.get("credentials"))
        _save_or_error(rt, identity)
        return web.json_response(_written(rt, identity, body))

    async def patch_identity(request: Request) -> Response:
        identity = _identity_or_404(rt, request.path_params["id"])
        ops = await web.read_json(request)
        current = identities.to_json(rt.config, identity, admin_metadata=True)
        for op in ops if isinstance(ops, list) else []:
            path = str(op.get("path", "")) if isinstance(op, dict) else ""
            if path == "/id" or path.startswith(("/credentials", "/state_changed_at")):
                raise errors.bad_request(f"patch of path {path} is not allowed")
        try:
            patched = apply_patch(current, ops)
        except PatchError as exc:
            raise errors.bad_request(str(exc)) from exc
        if patched.get("state") not in identities.STATES:
            raise errors.bad_request(
                f"The supplied state ('{patched.get('state')}') was not valid. "
                "Valid states are ('active', 'inactive')."
            )
        if patched["state"] != identity["state"]:
            identity["state_changed_at"] = web_now()
        for key in ("traits", "state", "metadata_public", "metadata_admin"):
            identity[key] = patched.get(key)
        identity["verifiable_addresses"] = _patched_addresses(
            identity["verifiable_addresses"], patched.get("verifiable_addresses")
        )
        _save_or_error(rt, identity)
        return web.json_response(_render(rt, identity))

    async def get_by_external_id(request: Request) -> Response:
        wanted = request.path_params["external_id"]
        for identity in rt.store.all(identities.KIND):
            if identity.get("external_id") == wanted:
                declassify = request.query_params.getlist("include_credential") or None
                return web.json_response(_render(rt, identity, declassify))
        raise errors.not_found()

    async def extend_session(request: Request) -> Response:
        session = rt.store.get(sessions.KIND, _uuid_or_400(request.path_params["id"]))
        if session is None or not sessions.is_active(rt, session):
            raise errors.not_found()
        session["expires_at"] = clock.fmt(clock.later(rt.config.session_lifespan))
        sessions.save(rt, session)
        return web.json_response(sessions.to_json(rt, session))

    async def delete_identity(request: Request) -> Response:
        identity_id = request.path_params["id"]
        _identity_or_404(rt, identity_id)
        sessions.delete_for_identity(rt, identity_id)
        identities.delete(rt.store, identity_id)
        return Response(status_code=204)

    async def delete_credentials(request: Request) -> Response:
        identity = _identity_or_404(rt, request.path_params["id"])
        cred_type = request.path_params["type"]
        if cred_type == "password":
            raise errors.bad_request("You cannot remove first factor credentials.")
        if not identities.remove_credential(identity, cred_type):
            raise errors.not_found(
                f"You tried to remove a {cred_type} but this user have no {cred_type} set up."
            )
        _save_or_error(rt, identity)
        return Response(status_code=204)

    async def list_identity_sessions(request: Request) -> Response:
        identity = _identity_or_404(rt, request.path_params["id"])
        found = sessions.for_identity(rt, identity["id"])
        active = request.query_params.get("active")
        if active is not None:
            want = active.lower() == "true"
            found = [s for s in found if sessions.is_active(rt, s) == want]
        # Kratos v25 orders them newest first (created_at DESC; issued_at here).
        found.sort(key=lambda s: str(s["issued_at"]), reverse=True)
        page, headers = paging.by_offset(request, found)
        # ExpandEverything through pop's eager load: the identity without its addresses
        return web.json_response(
            [sessions.to_json(rt, s, identity="bare") for s in page], headers=headers
        )

    async def delete_identity_sessions(request: Request) -> Response:
        identity = _identity_or_404(rt, request.path_params["id"])
        if sessions.delete_for_identity(rt, identity["id"]) == 0:
            raise errors.not_found()  # Kratos: sqlcon.ErrNoRows when nothing was deleted
        return Response(status_code=204)

    async def get_session(request: Request) -> Response:
        session = rt.store.get(sessions.KIND, _uuid_or_400(request.path_params["id"]))
        if session is None:
            raise errors.not_found()
        expand = _expandables(request)
        return web.json_response(
            sessions.to_json(
                rt,
                session,
                identity="full" if "identity" in expand else "none",
                devices="shown" if "devices" in expand else "empty",
            )
        )

    async def disable_session(request: Request) -> Response:
        session = rt.store.get(sessions.KIND, _uuid_or_400(request.path_params["id"]))
        if session is None:
            raise errors.not_found()
        sessions.revoke(rt, session)
        return Response(status_code=204)

    async def list_sessions(request: Request) -> Response:
        found = rt.store.all(sessions.KIND)
        active = request.query_params.get("active")
        if active is not None:
            want = active.lower() == "true"
            found = [s for s in found if sessions.is_active(rt, s) == want]
        expand = _expandables(request)
        page, headers = paging.by_key(request, found)
        shown = [
            sessions.to_json(
                rt,
                s,
                identity="bare" if "identity" in expand else "none",
                devices="shown" if "devices" in expand else "null",
            )
            for s in page
        ]
        return web.json_response(shown, headers=headers)

    async def list_messages(request: Request) -> Response:
        found = rt.courier.list(
            recipient=request.query_params.get("recipient"),
            status=request.query_params.get("status"),
        )
        size, after = paging.page_params(request)
        # newest first: page by position in that order
        start = 0
        if after:
            ids = [m["id"] for m in found]
            start = ids.index(after) + 1 if after in ids else len(found)
        page = found[start : start + size]
        next_key = page[-1]["id"] if start + size < len(found) and page else None
        link = paging.link_header(request, size, next_key)
        return web.json_response(page, headers={"Link": link})

    async def get_message(request: Request) -> Response:
        found = rt.courier.get(request.path_params["id"])
        if found is None:
            raise errors.not_found()
        return web.json_response(found)

    async def recovery_code(request: Request) -> Response:
        body = await web.read_json(request)
        if not isinstance(body, dict) or not body.get("identity_id"):
            raise errors.bad_request("identity_id is required")
        identity = _identity_or_404(rt, _uuid_or_400(str(body["identity_id"])))
        result = recovery.create_admin_code(rt, request, identity, body.get("expires_in"))
        return web.json_response(result, 201)

    async def recovery_link(request: Request) -> Response:
        if not rt.config.recovery_link_enabled:
            # selfservice/strategy/handler.go IsDisabled (v1.3.1 and v25.4.0)
            raise errors.not_found(
                "This endpoint was disabled by system administrator. Please check your url or "
                "contact the system administrator to enable it."
            )
        body = await web.read_json(request)
        if not isinstance(body, dict) or not body.get("identity_id"):
            raise errors.bad_request("identity_id is required")
        identity = _identity_or_404(rt, _uuid_or_400(str(body["identity_id"])))
        result = recovery.create_admin_link(rt, request, identity, body.get("expires_in"))
        return web.json_response(result)

    return [
        Route("/admin/recovery/code", recovery_code, methods=["POST"]),
        Route("/admin/recovery/link", recovery_link, methods=["POST"]),
        Route("/admin/identities", list_identities, methods=["GET"]),
        Route("/admin/identities", create_identity, methods=["POST"]),
        Route("/admin/identities", batch_identities, methods=["PATCH"]),
        Route("/admin/identities/by/external/{external_id}", get_by_external_id, methods=["GET"]),
        Route("/admin/identities/{id}", get_identity, methods=["GET"]),
        Route("/admin/identities/{id}", update_identity, methods=["PUT"]),
        Route("/admin/identities/{id}", patch_identity, methods=["PATCH"]),
        Route("/admin/identities/{id}", delete_identity, methods=["DELETE"]),
        Route("/admin/identities/{id}/credentials/{type}", delete_credentials, methods=["DELETE"]),
        Route("/admin/identities/{id}/sessions", list_identity_sessions, methods=["GET"]),
        Route("/admin/identities/{id}/sessions", delete_identity_sessions, methods=["DELETE"]),
        Route("/admin/sessions", list_sessions, methods=["GET"]),
        Route("/admin/sessions/{id}", get_session, methods=["GET"]),
        Route("/admin/sessions/{id}", disable_session, methods=["DELETE"]),
        Route("/admin/sessions/{id}/extend", extend_session, methods=["PATCH"]),
        Route("/admin/courier/messages", list_messages, methods=["GET"]),
        Route("/admin/courier/messages/{id}", get_message, methods=["GET"]),
    ]


def _uuid_or_400(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError as exc:
        raise errors.bad_request(f"Invalid UUID: {value}") from exc


def web_now() -> str:
    return clock.fmt(clock.now())
