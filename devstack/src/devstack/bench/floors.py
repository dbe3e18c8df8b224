"""The floors: the cheapest possible Flask and FastAPI endpoints, served like the real apps.

`GET /users` on the FastAPI floor answers the JSON page in the file named by
BENCH_FLOOR_PAGE (written by the bench from a real users page): the framework's own cost of
answering the same 100 items, to read the users rows against.

`GET /calls/<n>` on the Flask floor makes n GETs of BENCH_FLOOR_UPSTREAM through one pooled
`httpx.Client` per worker, shared by its threads as login-service's clients are, and no
stackspin_clients: the least a step making n upstream calls with httpx can cost.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from flask import Flask

flask_app = Flask("bench_floor")


@flask_app.get("/healthz")
@flask_app.get("/auth/healthz")  # the same, at a path nginx sends to login-service
def flask_ok() -> dict[str, str]:
    return {"status": "ok"}


@functools.cache
def _upstream_client() -> httpx.Client:
    """One pool per worker, shared by its threads, as login-service shares its clients."""
    return httpx.Client(trust_env=False, timeout=10)


if "BENCH_FLOOR_UPSTREAM" in os.environ:
    _upstream_client()  # at worker boot, as login-service builds its clients, not in a row


@flask_app.get("/calls/<int:count>")
def flask_calls(count: int) -> dict[str, int]:
    client = _upstream_client()
    url = os.environ["BENCH_FLOOR_UPSTREAM"]
    for _ in range(count):
        client.get(url).raise_for_status()
    return {"calls": count}


fastapi_app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@fastapi_app.get("/healthz")
def fastapi_ok() -> dict[str, str]:
    return {"status": "ok"}


@functools.cache
def _page() -> Any:
    return json.loads(Path(os.environ["BENCH_FLOOR_PAGE"]).read_text())


@fastapi_app.get("/users")
def fastapi_users() -> Any:
    return _page()
