"""Assemble the public and admin ASGI apps of the Kratos stand-in."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from devstack.clock import Clock, WithClock
from devstack.kratos import admin, csrf, errors, public, web
from devstack.kratos.config import KratosConfig
from devstack.kratos.courier import Courier
from devstack.kratos.runtime import Runtime
from devstack.kratos.store import Store

log = logging.getLogger("devstack.kratos")
VERSION = "v25.4.0"


def _common_routes(prefix: str = "") -> list[Route]:
    async def alive(request: Request) -> Response:
        return web.json_response({"status": "ok"})

    async def version(request: Request) -> Response:
        return web.json_response({"version": VERSION})

    paths = [("/health/alive", alive), ("/health/ready", alive), ("/version", version)]
    return [Route(prefix + path, endpoint, methods=["GET"]) for path, endpoint in paths]


def _admin_redirects() -> list[Route]:
    """Kratos's admin port answers the unprefixed paths with 307 to /admin/... (v1.3.1 and v25,
    x/http_redirect_admin.go)."""

    async def to_admin(request: Request) -> Response:
        return RedirectResponse("/admin" + request.url.path, status_code=307)

    return [
        Route(path, to_admin, methods=["GET"])
        for path in ("/health/alive", "/health/ready", "/version")
    ]


async def _kratos_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, errors.KratosError)
    return web.error_response(exc)


async def _not_found(request: Request, exc: Exception) -> Response:
    return web.error_response(errors.not_found())


async def _method_not_allowed(request: Request, exc: Exception) -> Response:
    return web.error_response(errors.KratosError(405, message="Method Not Allowed"))


# Public paths nosurf leaves alone (Kratos's IgnorePath/IgnoreGlob/DisablePath calls, the same in
# v1.3.1 and v25.4.0): the API flows, the submit URLs, sessions, health. On every other public
# path a request without a valid CSRF cookie gets a fresh one, whatever the handler answers.
_CSRF_IGNORED = re.compile(
    r"/self-service/(login|registration|settings|recovery|verification)(/api)?"
    r"|/self-service/logout/api"
    r"|/sessions(/whoami|/[^/]*|/[^/]*/extend)?"
    r"|/admin/identities/[^/]*/sessions|/admin/recovery/(code|link)"
    r"|/health/(alive|ready)|/version|/metrics/prometheus"
)


def _nosurf(config: KratosConfig) -> Middleware:
    async def dispatch(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        name = csrf.cookie_name(config.public_url)
        if _CSRF_IGNORED.fullmatch(request.url.path) or csrf.is_valid_cookie(
            request.cookies.get(name)
        ):
            return response
        if not any(h.startswith(name + "=") for h in response.headers.getlist("set-cookie")):
            web.set_csrf_cookie(config, response, csrf.new_cookie_value())
        return response

    return Middleware(BaseHTTPMiddleware, dispatch=dispatch)


def _offloaded(routes: list[Route]) -> list[Route]:
    return [
        Route(r.path, web.offload(r.endpoint), methods=sorted(r.methods or ()), name=r.name)
        for r in routes
    ]


def create_apps(config: KratosConfig, *, clock: Clock | None = None) -> tuple[Starlette, Starlette]:
    """(public ASGI app, admin ASGI app) sharing one store; `config` is read on every request,
    and so is `clock` (default: the system clock, see devstack.clock)."""
    log.warning(
        "Kratos stand-in (devstack) starting: a development imitation of Ory Kratos %s, "
        "for loopback use in development and tests only — never in production.",
        VERSION,
    )
    store = Store(config.database)
    rt = Runtime(config=config, store=store, courier=Courier(config, store))
    handlers = {errors.KratosError: _kratos_error, 404: _not_found, 405: _method_not_allowed}
    with_clock = Middleware(WithClock, clock=clock or Clock())
    public_app = Starlette(
        routes=_offloaded([*_common_routes(), *public.routes(rt)]),
        exception_handlers=handlers,
        middleware=[with_clock, _nosurf(config)],
    )
    admin_app = Starlette(
        # Real Kratos serves these under /admin on its admin port (and redirects the bare paths).
        routes=[*_admin_redirects(), *_offloaded([*_common_routes("/admin"), *admin.routes(rt)])],
        exception_handlers=handlers,
        middleware=[with_clock],
    )
    public_app.state.kratos = rt
    admin_app.state.kratos = rt
    return public_app, admin_app
