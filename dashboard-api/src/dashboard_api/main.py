"""The FastAPI application factory; ASGI entry point `dashboard_api.main:app`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from dashboard_api import __version__
from dashboard_api.access.router import router as access_router
from dashboard_api.apidocs.router import router as docs_router
from dashboard_api.apps.router import router as apps_router
from dashboard_api.audit.router import router as audit_router
from dashboard_api.auth.introspection import IntrospectionCache
from dashboard_api.auth.router import router as auth_router
from dashboard_api.branding.router import router as branding_router
from dashboard_api.config import Settings
from dashboard_api.db import Database, utcnow
from dashboard_api.errors import Problem, install_error_handlers, problem_responses
from dashboard_api.groups.router import router as groups_router
from dashboard_api.headers import NoStoreMiddleware
from dashboard_api.health import router as health_router
from dashboard_api.internal.router import router as internal_router
from dashboard_api.invitations.router import router as invitations_router
from dashboard_api.invitations.router import user_router as user_invitations_router
from dashboard_api.observability import RequestContextMiddleware, configure_logging
from dashboard_api.ory import OryClients
from dashboard_api.roles.router import router as roles_router
from dashboard_api.users.router import me_router
from dashboard_api.users.router import router as users_router


def operation_id(route: APIRoute) -> str:
    """Stable operation ids: `<tag>-<function name>`, e.g. `users-list_users`."""
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_app(
    settings: Settings | None = None,
    *,
    database: Database | None = None,
    ory: OryClients | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> FastAPI:
    """Build the app. Tests may hand over a database bound to a rolled-back transaction, and a
    clock for write intents (`Context.now`)."""
    settings = settings or Settings()
    configure_logging(settings.log_level, settings.log_json)
    if settings.placeholder_secrets:
        logging.getLogger(__name__).warning(
            "%s hold placeholders: accepted in development only",
            ", ".join(settings.placeholder_secrets),
        )
    own_database = database is None
    own_ory = ory is None
    db = database or Database.from_url(settings.database_url, settings.database_timeouts)
    clients = ory or OryClients.from_settings(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if own_ory:
            clients.close()
        if own_database:
            db.dispose()

    app = FastAPI(
        title="Stackspin dashboard API",
        version=__version__,
        openapi_url="/api/openapi.json",
        docs_url=None,  # our own page: apidocs/, assets from this origin
        redoc_url=None,
        generate_unique_id_function=operation_id,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = db
    app.state.ory = clients
    app.state.clock = clock
    app.state.introspection_cache = IntrospectionCache(
        settings.introspection_cache_seconds, settings.introspection_cache_size
    )
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware, budget=settings.request_timeout)
    app.add_middleware(NoStoreMiddleware)  # outside: the 500 answers of the one above too

    api = APIRouter(prefix="/api/v1")
    for router in (
        auth_router,
        me_router,
        users_router,
        access_router,
        user_invitations_router,
        invitations_router,
        apps_router,
        roles_router,
        groups_router,
        audit_router,
        branding_router,
    ):
        api.include_router(router)
    app.include_router(api)
    app.include_router(internal_router)
    app.include_router(health_router)
    app.include_router(docs_router)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(
                title=app.title, version=app.version, routes=app.routes, openapi_version="3.1.0"
            )
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas["Problem"] = Problem.model_json_schema()
            # A body that is not even JSON (or not UTF-8) is refused with 400 before validation.
            unparsable = problem_responses(400)[400]
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    if "requestBody" in operation:
                        operation["responses"].setdefault("400", unparsable)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def __getattr__(name: str) -> Any:
    # `dashboard_api.main:app` is built on first use, so importing this module reads no settings.
    if name == "app":
        built = create_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)
