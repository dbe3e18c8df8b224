"""FastAPI dependencies as Annotated aliases: the unit of work, settings, clients and the caller."""

from __future__ import annotations

import functools
import hmac
import inspect
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import Annotated, Any, TypeVar, cast
from urllib.parse import urlsplit

import anyio
from fastapi import Depends, Request
from fastapi.routing import APIRoute
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


class _UnitOfWork:
    """The request's transaction, ended once: by the endpoint's own thread when the endpoint
    returned (`EndsUnitOfWork`), else by `get_session` afterwards."""

    def __init__(self, manager: AbstractContextManager[Session]) -> None:
        self._manager = manager
        self.ended = False

    def begin(self) -> Session:
        return self._manager.__enter__()

    def end(self, exc: BaseException | None) -> bool:
        """Commit (no `exc`) or roll back; whether `exc` was handled. Blocking: in a thread."""
        self.ended = True
        kind = type(exc) if exc is not None else None
        trace = exc.__traceback__ if exc is not None else None
        return bool(self._manager.__exit__(kind, exc, trace))


_unit_of_work: ContextVar[_UnitOfWork | None] = ContextVar("dashboard_unit_of_work", default=None)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: committed before the response is sent, else rolled back.

    A GET that is not marked `writes_on_read` only reads: on SQLite its transaction does not
    take (or wait for) the write lock that every writing request holds from its first
    statement (for a signed-in caller: resolving who they are).
    The session is made here (no I/O: its first statement begins the transaction). A sync
    endpoint commits in its own thread as it returns (`EndsUnitOfWork`); otherwise, and for a
    rollback, the end goes to a thread from here.
    """
    database: Database = request.app.state.database
    read_only = request.method in SAFE_METHODS and not getattr(
        request.scope.get("endpoint"), _WRITES_ON_READ, False
    )
    unit = _UnitOfWork(database.transaction(read_only=read_only))
    session = unit.begin()
    _unit_of_work.set(unit)  # the endpoint's thread runs in a copy of this context
    try:
        yield session
    except BaseException as exc:
        if unit.ended or not await _end_in_thread(unit, exc):
            raise  # (ended: its commit failed, rolled back already)
    else:
        if not unit.ended:
            await _end_in_thread(unit, None)


async def _end_in_thread(unit: _UnitOfWork, exc: BaseException | None) -> bool:
    """End the unit of work in a worker thread, as FastAPI leaves a sync generator
    dependency: shielded (a client that went away does not cut a commit or rollback short) and
    with a limiter of its own (it never waits for a thread-pool slot held by a request)."""
    with anyio.CancelScope(shield=True):
        handled = await anyio.to_thread.run_sync(unit.end, exc, limiter=anyio.CapacityLimiter(1))
    return bool(handled)


def _ending_unit_of_work(endpoint: Endpoint) -> Endpoint:
    """`endpoint` (sync) followed, in the same thread, by the commit of the request's unit of
    work: one thread-pool hop less than committing after it from the event loop."""

    @functools.wraps(endpoint)
    def endpoint_then_commit(*args: Any, **kwargs: Any) -> Any:
        result = endpoint(*args, **kwargs)
        unit = _unit_of_work.get()
        if unit is not None and not unit.ended:
            unit.end(None)
        return result

    return cast(Endpoint, endpoint_then_commit)


class EndsUnitOfWork(APIRoute):
    """The route class of every router here: sync endpoints commit as they return."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _ending_unit_of_work(endpoint)
        super().__init__(path, endpoint, **kwargs)


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
