"""/healthz (alive), /readyz (database, Kratos and Hydra answer) and /metrics; never public."""

from __future__ import annotations

import os

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from dashboard_api.config import Settings
from dashboard_api.db import Database
from dashboard_api.errors import problem_response

router = APIRouter(include_in_schema=False)

PROBE_TIMEOUT = 2.0


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


def _database_up(database: Database) -> str | None:
    try:
        with database.session() as session:
            session.execute(text("SELECT 1"))
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


@router.get("/readyz")
async def readyz(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    database: Database = request.app.state.database
    async with httpx.AsyncClient(timeout=PROBE_TIMEOUT) as client:
        failures = {
            "database": await run_in_threadpool(_database_up, database),
            "kratos": await _http_up(client, settings.kratos_admin_url),
            "hydra": await _http_up(client, settings.hydra_admin_url),
        }
    checks = {name: ("down: " + reason if reason else "up") for name, reason in failures.items()}
    down = [name for name, reason in failures.items() if reason]
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
