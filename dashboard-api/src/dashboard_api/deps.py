"""FastAPI dependencies as Annotated aliases: the unit of work, settings, clients and the caller."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

import anyio
from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from dashboard_api.actors import Actor
from dashboard_api.auth.schemas import Principal
from dashboard_api.auth.service import SESSION_COOKIE, resolve_principal
from dashboard_api.config import Settings
from dashboard_api.context import Context
from dashboard_api.db import Database
from dashboard_api.errors import PermissionDenied, Unauthenticated
from dashboard_api.ory import OryClients


# The dependencies that only read app state are async: a sync one costs a thread-pool hop.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_ory(request: Request) -> OryClients:
    ory: OryClients = request.app.state.ory
    return ory


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITES_ON_READ = "dashboard_writes_on_read"
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def writes_on_read(endpoint: Endpoint) -> Endpoint:
    """Mark a GET endpoint that writes (a browser redirect, the consent decision): its
    transaction takes SQLite's write lock up front, like every other method's."""
    setattr(endpoint, _WRITES_ON_READ, True)
    return endpoint


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: committed before the response is sent, else rolled back.

    A GET that is not marked `writes_on_read` only reads: on SQLite its transaction does not
    take (or wait for) the write lock that every writing request holds from its first
    statement (for a signed-in caller: resolving who they are).
    The session is made here (no I/O: its first statement begins the transaction); only the
    commit or rollback goes to a thread, one thread-pool hop instead of two per request.
    """
    database: Database = request.app.state.database
    read_only = request.method in SAFE_METHODS and not getattr(
        request.scope.get("endpoint"), _WRITES_ON_READ, False
    )
    unit = database.transaction(read_only=read_only)
    session = unit.__enter__()
    try:
        yield session
    except BaseException as exc:
        if not await _end_in_thread(unit, exc):
            raise
    else:
        await _end_in_thread(unit, None)


async def _end_in_thread(unit: AbstractContextManager[Session], exc: BaseException | None) -> bool:
    """Leave the unit of work in a worker thread, as FastAPI leaves a sync generator
    dependency: shielded (a client that went away does not cut a commit or rollback short) and
    with a limiter of its own (it never waits for a thread-pool slot held by a request)."""
    with anyio.CancelScope(shield=True):
        handled = await anyio.to_thread.run_sync(
            unit.__exit__,
            type(exc) if exc is not None else None,
            exc,
            exc.__traceback__ if exc is not None else None,
            limiter=anyio.CapacityLimiter(1),
        )
    return bool(handled)


SettingsDep = Annotated[Settings, Depends(get_settings)]
OryDep = Annotated[OryClients, Depends(get_ory)]
# scope="function": the commit happens before the response leaves, so a failed commit is an error.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]

bearer_scheme = HTTPBearer(auto_error=False, description="A Hydra access token")
cookie_scheme = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="Set by /api/v1/auth/callback"
)


async def get_system_context(
    request: Request, session: SessionDep, ory: OryDep, settings: SettingsDep
) -> Context:
    return Context(
        session=session,
        ory=ory,
        settings=settings,
        actor=Actor.system(),
        introspection=request.app.state.introspection_cache,
        now=request.app.state.clock,
    )


SystemContext = Annotated[Context, Depends(get_system_context)]


def refuse_cross_site(request: Request, settings: Settings) -> None:
    """Cookie-authenticated writes must come from our own origin (besides SameSite=Lax)."""
    origin = request.headers.get("origin")
    if request.headers.get("sec-fetch-site") == "cross-site" or (
        origin is not None and origin.rstrip("/") != _origin(settings.public_url)
    ):
        raise PermissionDenied("Cross-site requests may not use the dashboard session.")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def get_principal(
    request: Request,
    ctx: SystemContext,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    session_token: Annotated[str | None, Depends(cookie_scheme)],
) -> Principal:
    if bearer is None and session_token and request.method not in SAFE_METHODS:
        refuse_cross_site(request, ctx.settings)
    principal = resolve_principal(
        ctx,
        request.app.state.introspection_cache,
        bearer=bearer.credentials if bearer else None,
        session_token=session_token,
    )
    ctx.actor = principal.actor
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


async def get_user_context(ctx: SystemContext, principal: CurrentPrincipal) -> Context:
    ctx.actor = principal.actor
    return ctx


async def get_admin_context(ctx: SystemContext, principal: CurrentPrincipal) -> Context:
    if not principal.is_admin:
        raise PermissionDenied("Only dashboard admins may do this.")
    ctx.actor = principal.actor
    return ctx


UserContext = Annotated[Context, Depends(get_user_context)]
AdminContext = Annotated[Context, Depends(get_admin_context)]

internal_bearer = HTTPBearer(
    auto_error=False, scheme_name="InternalToken", description="DASHBOARD_INTERNAL_TOKEN"
)


def _check_token(
    expected_token: str | None, credentials: HTTPAuthorizationCredentials | None
) -> None:
    expected = (expected_token or "").encode()
    given = credentials.credentials.encode() if credentials else b""
    # An empty token (development allows one) must not match a request that sends none.
    # Constant-time: the comparison must not tell how much of a guess was right.
    if not expected or not given or not hmac.compare_digest(given, expected):
        raise Unauthenticated("A valid internal service token is required.")


def require_internal_token(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(internal_bearer)],
) -> None:
    _check_token(settings.internal_token, credentials)


def require_kratos_hook_token(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(internal_bearer)],
) -> None:
    """Kratos's own token: it may say an identity changed, and nothing else."""
    _check_token(settings.kratos_hook_token, credentials)


InternalToken = Annotated[None, Depends(require_internal_token)]
KratosHookToken = Annotated[None, Depends(require_kratos_hook_token)]
