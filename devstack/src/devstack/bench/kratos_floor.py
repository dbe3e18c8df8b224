"""The lower bound of a users page whose people live in Kratos: FastAPI and one Kratos call.

`GET /users` asks the Kratos admin API at BENCH_KRATOS_ADMIN_URL for one page of identities
(the same `GET /admin/identities?page_size=<PAGE>` the users page sends, read as the users page
reads it: `list_identity_summaries` of `stackspin_clients`' sync Kratos admin client, from a
sync endpoint in FastAPI's thread pool, as dashboard-api's endpoints do) and answers them as
JSON. No database, no roles, no authentication: what any design that reads
people from Kratos pays.

`GET /users-with-roles` (when BENCH_FLOOR_DATABASE_URL names dashboard-api's database) adds what
any users page of ours must also do, and nothing else: in one read-only transaction, the one
statement that says whether the caller (BENCH_FLOOR_CLIENT_ID, BENCH_FLOOR_SUBJECT) is an admin
on a dashboard client (access changes take effect at once: it is not cached) and the one that
reads the page's roles; no middleware, no dependencies, the same answer as `/users`.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from dashboard_api.auth.repository import token_standing
from dashboard_api.db import Database
from dashboard_api.roles.repository import assignments_for
from fastapi import FastAPI, HTTPException, Request
from stackspin_clients import ClientConfig, KratosAdmin
from stackspin_clients.models import IdentitySummary

from devstack.bench.plan import PAGE


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    kratos = KratosAdmin(ClientConfig(base_url=os.environ["BENCH_KRATOS_ADMIN_URL"]))
    app.state.kratos = kratos
    url = os.environ.get("BENCH_FLOOR_DATABASE_URL")
    app.state.database = Database.from_url(url) if url else None
    try:
        yield
    finally:
        kratos.close()
        if app.state.database is not None:
            app.state.database.dispose()


app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, lifespan=_lifespan)


@app.get("/healthz")
async def ok() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/users")
def users(request: Request) -> list[IdentitySummary]:
    kratos: KratosAdmin = request.app.state.kratos
    page = kratos.list_identity_summaries(page_size=PAGE)
    return page.identities


@app.get("/users-with-roles")
def users_with_roles(request: Request) -> list[IdentitySummary]:
    kratos: KratosAdmin = request.app.state.kratos
    database: Database | None = request.app.state.database
    if database is None:
        raise HTTPException(404, "BENCH_FLOOR_DATABASE_URL is not set")
    caller = os.environ["BENCH_FLOOR_CLIENT_ID"], os.environ["BENCH_FLOOR_SUBJECT"]
    with database.transaction(read_only=True) as session:
        dashboard_client, admin = token_standing(session, *caller)
        if not (dashboard_client and admin):
            raise HTTPException(403, "not an admin on a dashboard client")
        page = kratos.list_identity_summaries(page_size=PAGE)
        assignments_for(session, [identity.id for identity in page.identities])
    return page.identities
