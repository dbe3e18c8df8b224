"""The floors: the cheapest possible Flask and FastAPI endpoints, served like the real apps."""

from __future__ import annotations

from fastapi import FastAPI
from flask import Flask

flask_app = Flask("bench_floor")


@flask_app.get("/healthz")
def flask_ok() -> dict[str, str]:
    return {"status": "ok"}


fastapi_app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@fastapi_app.get("/healthz")
def fastapi_ok() -> dict[str, str]:
    return {"status": "ok"}
