"""The floors: the cheapest possible Flask and FastAPI endpoints, served like the real apps.

`GET /users` on the FastAPI floor answers the JSON page in the file named by
BENCH_FLOOR_PAGE (written by the bench from a real users page): the framework's own cost of
answering the same 100 items, to read the users rows against.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from flask import Flask

flask_app = Flask("bench_floor")


@flask_app.get("/healthz")
@flask_app.get("/auth/healthz")  # the same, at a path nginx sends to login-service
def flask_ok() -> dict[str, str]:
    return {"status": "ok"}


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
