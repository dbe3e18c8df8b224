"""/healthz (alive), /readyz (database, Kratos and Hydra answer) and /metrics; never public."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable

import anyio
import httpx
from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from sqlalchemy import Engine, text
from sqlalchemy.pool import NullPool

from dashboard_api.config import Settings
from dashboard_api.db import READ_ONLY, Database, DatabaseTimeouts, make_engine
from dashboard_api.deps import EndsUnitOfWork
from dashboard_api.errors import problem_response

router = APIRouter(include_in_schema=False, route_class=EndsUnitOfWork)

# Every check runs at once and gives up after this long, so /readyz answers within about
# PROBE_TIMEOUT even when the database or an Ory server hangs.
PROBE_TIMEOUT = 2.0
# The database probe's own connection (not the request pool): a hung server ends the probe's
# thread within connect + 2 reads, even after /readyz has answered without it.
PROBE_DATABASE_TIMEOUTS = DatabaseTimeouts(connect=1.0, statement=1.0, pool=1.0)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


def _probe_engine(request: Request) -> Engine:
    engine: Engine | None = getattr(request.app.state, "database_probe", None)
    if engine is None:
        database: Database = request.app.state.database
        url = database.engine.url.render_as_string(hide_password=False)
        engine = make_engine(url, PROBE_DATABASE_TIMEOUTS, poolclass=NullPool)
        request.app.state.database_probe = engine
    return engine


def _database_up(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            # Read-only: on SQLite it does not wait for the write lock a request holds.
            connection.execution_options(**{READ_ONLY: True}).execute(text("SELECT 1"))
    except Exception as exc:  # any failure means "not ready"; the reason goes to the body
        return type(exc).__name__
    return None


async def _http_up(client: httpx.AsyncClient, base_url: str) -> str | None:
    try:
        response = await client.get(f"{base_url.rstrip('/')}/health/alive")
    except httpx.HTTPError as exc:
        return type(exc).__name__
    # Any answer below 500 means the server is there and talking.
    return None if response.status_code < 500 else f"HTTP {response.status_code}"


async def _checked(check: Callable[[], Awaitable[str | None]]) -> str | None:
    with anyio.move_on_after(PROBE_TIMEOUT):
        return await check()
    return "no answer"


@router.get("/readyz")
async def readyz(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    engine = _probe_engine(request)
    failures: dict[str, str | None] = {}
    async with httpx.AsyncClient(timeout=PROBE_TIMEOUT) as client:

        async def database() -> str | None:
            # Abandoned (not waited for) when it hangs; its own timeouts end the thread.
            return await to_thread.run_sync(_database_up, engine, abandon_on_cancel=True)

        async def kratos() -> str | None:
            return await _http_up(client, settings.kratos_admin_url)

        async def hydra() -> str | None:
            return await _http_up(client, settings.hydra_admin_url)

        async def run(name: str, check: Callable[[], Awaitable[str | None]]) -> None:
            failures[name] = await _checked(check)

        async with anyio.create_task_group() as group:
            for name, check in (("database", database), ("kratos", kratos), ("hydra", hydra)):
                group.start_soon(run, name, check)
    names = ("database", "kratos", "hydra")
    checks = {name: f"down: {failures[name]}" if failures[name] else "up" for name in names}
    down = [name for name in names if failures[name]]
    if down:
        return problem_response(
            503, f"Not ready: {', '.join(down)} down.", slug="not-ready", checks=checks
        )
    return JSONResponse({"status": "ready", "checks": checks})


@router.get("/metrics")
async def metrics() -> Response:
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        # Under gunicorn each worker writes its samples to this directory; add them up.
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
