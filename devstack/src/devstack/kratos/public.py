"""Kratos public API: self-service flows, whoami, logout, flow errors, schemas."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from devstack.kratos import (
    csrf,
    errors,
    flows,
    identities,
    login,
    paging,
    recovery,
    registration,
    sessions,
    settings,
    verification,
    web,
    webauthn,
)
from devstack.kratos.runtime import Runtime
from devstack.kratos.store import Doc

FlowFactory = Callable[..., Doc | Response]
LOGOUT_KIND = "logout_token"


def _flow_factories() -> dict[str, FlowFactory]:
    return {
        "login": login.create_flow,
        "registration": registration.create_flow,
        "recovery": recovery.create_flow,
        "verification": verification.create_flow,
        "settings": settings.create_flow,
    }


def _submitters() -> dict[str, Callable[[Runtime, Request], Awaitable[Response]]]:
    return {
        "login": login.submit,
        "registration": registration.submit,
        "recovery": recovery.submit,
        "verification": verification.submit,
        "settings": settings.submit,
    }


def routes(rt: Runtime) -> list[Route]:
    factories = _flow_factories()
    submitters = _submitters()

    def browser_init(kind: str) -> Callable[[Request], Awaitable[Response]]:
        async def handler(request: Request) -> Response:
            cookie, is_new = web.csrf_cookie(rt.config, request)
            try:
                made = factories[kind](
                    rt,
                    request,
                    flow_type="browser",
                    csrf_cookie=cookie,
                    params=dict(request.query_params),
                )
            except errors.KratosError as exc:
                if web.accepts_json(request):
                    return web.error_response(exc)
                return web.redirect(flows.error_redirect_url(rt, exc))
            if isinstance(made, Response):
                response = made
            elif web.accepts_json(request):
                response = web.json_response(flows.public(made))
            else:
                response = web.redirect(flows.ui_redirect_url(rt.config, made))
            if is_new:
                web.set_csrf_cookie(rt.config, response, cookie)
            return response

        return handler

    def api_init(kind: str) -> Callable[[Request], Awaitable[Response]]:
        async def handler(request: Request) -> Response:
            made = factories[kind](
                rt, request, flow_type="api", csrf_cookie=None, params=dict(request.query_params)
            )
            if isinstance(made, Response):
                return made
            return web.json_response(flows.public(made))

        return handler

    def get_flow(kind: str) -> Callable[[Request], Awaitable[Response]]:
        async def handler(request: Request) -> Response:
            if kind == "settings" and sessions.from_request(rt, request) is None:
                # settings/handler.go: IsAuthenticated runs before the flow is looked up;
                # OnUnauthenticated sends a browser to the login UI (302), JSON gets a 401
                if web.is_json_request(request):
                    raise errors.KratosError(
                        401, reason="A valid Ory Session Cookie or Ory Session Token is missing."
                    )
                return RedirectResponse(rt.config.login_ui_url, status_code=302)
            flow = flows.load(rt, kind, request.query_params.get("id"))
            if flows.expired_at(flow):
                raise flows.expired_fetch_error(rt, kind, flow)
            if (
                flow["type"] == "browser"
                and kind != "recovery"
                and not flows.csrf_matches_cookie(rt, request, flow)
            ):
                raise errors.csrf_violation()
            if kind == "settings":
                session = sessions.from_request(rt, request)
                if session is None:
                    raise errors.no_active_session()
                if session["identity_id"] != flow["_internal"]["identity_id"]:
                    raise errors.KratosError(
                        403,
                        error_id="security_identity_mismatch",
                        reason="The flow was created by another identity.",
                    )
                identity = identities.get(rt.store, session["identity_id"])
                if identity is not None and settings.needs_aal2(rt, session, identity):
                    raise errors.aal2_required(
                        login.login_browser_url(
                            rt, aal="aal2", return_to=flows.ui_redirect_url(rt.config, flow)
                        )
                    )
            return web.json_response(flows.public(flow))

        return handler

    def submit(kind: str) -> Callable[[Request], Awaitable[Response]]:
        async def handler(request: Request) -> Response:
            try:
                return await submitters[kind](rt, request)
            except errors.KratosError as exc:
                return flows.respond_error(rt, request, exc)

        return handler

    async def whoami(request: Request) -> Response:
        session = sessions.from_request(rt, request)
        if session is None:
            # session/handler.go whoami: ErrNoSessionFound (no id), v1.3.1 and v25.4.0
            raise errors.KratosError(
                401, reason="No valid session credentials found in the request."
            )
        identity = identities.get(rt.store, session["identity_id"])
        assert identity is not None
        if (
            rt.config.whoami_required_aal == "highest_available"
            and identities.has_second_factor(identity)
            and session["authenticator_assurance_level"] != "aal2"
        ):
            raise errors.aal2_required(login.login_browser_url(rt, aal="aal2"))
        return web.json_response(
            sessions.to_json(rt, session),
            headers={"X-Kratos-Authenticated-Identity-Id": identity["id"]},
        )

    async def settings_resume(request: Request) -> Response:
        return settings.resume(rt, request)

    async def my_sessions(request: Request) -> Response:
        """GET /sessions: the caller's other active sessions (the current one is left out)."""
        session = sessions.from_request(rt, request)
        if session is None:
            raise errors.no_active_session()
        others = [
            s
            for s in sessions.for_identity(rt, session["identity_id"])
            if s["id"] != session["id"] and sessions.is_active(rt, s)
        ]
        others.sort(key=lambda s: str(s["issued_at"]), reverse=True)
        # listMySessions pages like the admin listing (x.ParsePagination, x.PaginationHeader)
        page, headers = paging.by_offset(request, others)
        return web.json_response(
            [sessions.to_json(rt, s, identity="bare") for s in page], headers=headers
        )

    async def delete_my_other_sessions(request: Request) -> Response:
        session = sessions.from_request(rt, request)
        if session is None:
            raise errors.no_active_session()
        count = 0
        for s in sessions.for_identity(rt, session["identity_id"]):
            if s["id"] != session["id"] and sessions.is_active(rt, s):
                sessions.revoke(rt, s)
                count += 1
        return web.json_response({"count": count})

    async def delete_my_session(request: Request) -> Response:
        session = sessions.from_request(rt, request)
        if session is None:
            raise errors.no_active_session()
        target = rt.store.get(sessions.KIND, request.path_params["id"])
        if target is None or target["identity_id"] != session["identity_id"]:
            raise errors.not_found()
        if target["id"] == session["id"]:
            raise errors.bad_request(
                "You are not allowed to revoke your current session. Use the logout flow instead."
            )
        sessions.revoke(rt, target)
        return Response(status_code=204)

    async def logout_api(request: Request) -> Response:
        """DELETE /self-service/logout/api with {"session_token": ...}."""
        body = await web.read_json(request)
        token = body.get("session_token") if isinstance(body, dict) else None
        session = sessions.by_token(rt, str(token)) if token else None
        if session is None or not sessions.is_active(rt, session):
            raise errors.bad_request("The provided Ory Session Token is invalid or expired.")
        sessions.revoke(rt, session)
        return Response(status_code=204)

    async def logout_browser(request: Request) -> Response:
        session = sessions.from_request(rt, request)
        if session is None:
            raise errors.no_active_session()
        return_to = flows.checked_return_to(rt.config, request.query_params.get("return_to"))
        token = secrets.token_urlsafe(24)
        rt.store.put(LOGOUT_KIND, token, {"session_id": session["id"]})
        params = {"token": token}
        if return_to:
            params["return_to"] = return_to
        url = flows.with_query(f"{rt.config.public_url}self-service/logout", **params)
        return web.json_response({"logout_url": url, "logout_token": token})

    async def logout(request: Request) -> Response:
        token = request.query_params.get("token", "")
        entry = rt.store.get(LOGOUT_KIND, token) if token else None
        session = rt.store.get(sessions.KIND, entry["session_id"]) if entry else None
        if session is None:
            err = errors.KratosError(
                401,
                reason="Unable to log out because the logout token in the URL query does not "
                "match the session cookie.",
                message="The request could not be authorized",
            )
            return flows.respond_error(rt, request, err)
        try:
            return_to = flows.checked_return_to(rt.config, request.query_params.get("return_to"))
        except errors.KratosError as exc:
            return flows.respond_error(rt, request, exc)
        sessions.revoke(rt, session)
        rt.store.delete(LOGOUT_KIND, token)
        response: Response
        if web.accepts_json(request):
            response = Response(status_code=204)
        else:
            response = web.redirect(
                return_to or rt.config.logout_return_url or rt.config.default_return_url
            )
        web.clear_session_cookie(rt.config, response)
        # logout/handler.go completeLogout regenerates the CSRF token (v1.3.1 and v25.4.0)
        web.set_csrf_cookie(rt.config, response, csrf.new_cookie_value())
        return response

    async def flow_error(request: Request) -> Response:
        error_id = request.query_params.get("id", "")
        if error_id == "stub:500":
            return web.json_response(
                {
                    "id": "stub:500",
                    "error": errors.KratosError(500, reason="This is a stub error.").inner(),
                }
            )
        found = rt.store.get(flows.ERROR_KIND, error_id) if error_id else None
        if found is None:
            raise errors.not_found()  # errorx persister: sqlcon.ErrNoRows (no reason)
        return web.json_response(found)

    async def list_schemas(request: Request) -> Response:
        ids = identities.load_schema(rt.config)
        return web.json_response([{"id": "default", "schema": ids.raw}])

    async def get_schema(request: Request) -> Response:
        ids = identities.load_schema(rt.config)
        if request.path_params["id"] not in ("default", "ZGVmYXVsdA"):
            raise errors.not_found()
        return web.json_response(ids.raw)

    async def recovery_link_get(request: Request) -> Response:
        try:
            return await recovery.follow_link(rt, request)
        except errors.KratosError as exc:
            return flows.respond_error(rt, request, exc)

    async def verification_link_get(request: Request) -> Response:
        try:
            return await verification.follow_link(rt, request)
        except errors.KratosError as exc:
            return flows.respond_error(rt, request, exc)

    async def webauthn_js(request: Request) -> Response:
        return Response(webauthn.SCRIPT, media_type="text/javascript; charset=UTF-8")

    out: list[Route] = []
    for kind in ("login", "registration", "recovery", "verification", "settings"):
        out += [
            Route(f"/self-service/{kind}/browser", browser_init(kind), methods=["GET"]),
            Route(f"/self-service/{kind}/api", api_init(kind), methods=["GET"]),
            Route(f"/self-service/{kind}/flows", get_flow(kind), methods=["GET"]),
            Route(f"/self-service/{kind}", submit(kind), methods=["POST"]),
        ]
    out += [
        Route("/self-service/recovery", recovery_link_get, methods=["GET"]),
        Route("/self-service/verification", verification_link_get, methods=["GET"]),
        Route("/self-service/settings", settings_resume, methods=["GET"]),
        # Kratos answers whoami on every method (proxies such as Oathkeeper forward any)
        Route("/sessions/whoami", whoami, methods=["GET", "POST", "PUT", "PATCH", "OPTIONS"]),
        Route("/sessions", my_sessions, methods=["GET"]),
        Route("/sessions", delete_my_other_sessions, methods=["DELETE"]),
        Route("/sessions/{id}", delete_my_session, methods=["DELETE"]),
        Route("/self-service/logout/api", logout_api, methods=["DELETE"]),
        Route("/self-service/logout/browser", logout_browser, methods=["GET"]),
        Route("/self-service/logout", logout, methods=["GET"]),
        Route("/self-service/errors", flow_error, methods=["GET"]),
        Route("/schemas", list_schemas, methods=["GET"]),
        Route("/.well-known/ory/webauthn.js", webauthn_js, methods=["GET"]),
        Route("/schemas/{id}", get_schema, methods=["GET"]),
    ]
    return out
