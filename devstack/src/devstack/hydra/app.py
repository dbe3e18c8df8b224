"""Build the two ASGI apps (public and admin) of one Hydra stand-in over one shared state."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from devstack.clock import Clock, WithClock
from devstack.hydra.admin import AdminApp
from devstack.hydra.config import HydraConfig
from devstack.hydra.errors import OAuthError
from devstack.hydra.public import PublicApp
from devstack.hydra.registry import Registry

log = logging.getLogger("devstack.hydra")
WARNING = (
    "Hydra stand-in (devstack) serving %s API: a DEVELOPMENT stand-in for Ory Hydra v25.4.0, "
    "loopback only, never for production"
)


async def alive(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def on_oauth_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, OAuthError)
    return exc.response()


async def on_not_found(request: Request, exc: Exception) -> Response:
    return OAuthError("Not Found").response()


async def on_server_error(request: Request, exc: Exception) -> Response:
    # Starlette logs the traceback after this answer; the client sees fosite's server_error.
    return OAuthError("server_error").response()


async def on_method_not_allowed(request: Request, exc: Exception) -> Response:
    return JSONResponse(
        {"error": "Method Not Allowed", "error_description": "The method is not allowed."},
        status_code=405,
    )


def _app(name: str, routes: list[Route], clock: Clock) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        log.warning(WARNING, name)
        yield

    health = [
        Route("/health/alive", alive),
        Route("/health/ready", alive),
    ]
    handlers: dict[Any, Any] = {
        OAuthError: on_oauth_error,
        404: on_not_found,
        405: on_method_not_allowed,
        Exception: on_server_error,
    }
    return Starlette(
        routes=routes + health,
        exception_handlers=handlers,
        lifespan=lifespan,
        middleware=[Middleware(WithClock, clock=clock)],
    )


def create_apps(config: HydraConfig, *, clock: Clock | None = None) -> tuple[Starlette, Starlette]:
    """(public app, admin app) sharing one state: `config.database` (a path or ":memory:");
    requests read `clock` (default: the system clock, see devstack.clock)."""
    registry = Registry.open(config)
    clock = clock or Clock()
    public = _app("public", PublicApp(registry).routes(), clock)
    admin = _app("admin", AdminApp(registry).routes(), clock)
    public.state.registry = registry
    admin.state.registry = registry
    return public, admin
