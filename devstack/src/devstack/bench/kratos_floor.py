"""The lower bound of a users page whose people live in Kratos: FastAPI and one Kratos call.

`GET /users` asks the Kratos admin API at BENCH_KRATOS_ADMIN_URL for one page of identities
(the same `GET /admin/identities?page_size=<PAGE>` the users page sends, read as the users page
reads it: `list_identity_summaries` of `stackspin_clients`' sync Kratos admin client, from a
sync endpoint in FastAPI's thread pool, as dashboard-api's endpoints do) and answers them as
JSON. No database, no roles, no authentication: what any design that reads
people from Kratos pays.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from stackspin_clients import ClientConfig, KratosAdmin
from stackspin_clients.models import IdentitySummary

from devstack.bench.plan import PAGE


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    kratos = KratosAdmin(ClientConfig(base_url=os.environ["BENCH_KRATOS_ADMIN_URL"]))
    app.state.kratos = kratos
    try:
        yield
    finally:
        kratos.close()


app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, lifespan=_lifespan)


@app.get("/healthz")
async def ok() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/users")
def users(request: Request) -> list[IdentitySummary]:
    kratos: KratosAdmin = request.app.state.kratos
    page = kratos.list_identity_summaries(page_size=PAGE)
    return page.identities
