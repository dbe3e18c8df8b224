"""/healthz (the process answers), /readyz (Hydra, Kratos and dashboard-api answer), /metrics.

Not routed by nginx: for the orchestrator and Prometheus only.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
from flask import Blueprint, Response, jsonify
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from login_service.config import Settings, current_settings

bp = Blueprint("health", __name__)


def readiness_targets(settings: Settings) -> dict[str, str]:
    return {
        "hydra": f"{settings.hydra_admin_url}/health/ready",
        "kratos": f"{settings.kratos_public_url}/health/ready",
        # Kratos's admin API lives under /admin (its other paths answer 307 to /admin/...).
        "kratos-admin": f"{settings.kratos_admin_url}/admin/health/ready",
        "dashboard-api": f"{settings.dashboard_internal_url}/healthz",
    }


def _probe(url: str, timeout: float) -> str | None:
    """None when the URL answers 2xx in time, else why not."""
    try:
        response = httpx.get(url, timeout=timeout)
    except httpx.HTTPError as exc:
        return type(exc).__name__
    if response.status_code >= 300:
        return f"HTTP {response.status_code}"
    return None


@bp.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Response:
    settings = current_settings()
    targets = readiness_targets(settings)
    with ThreadPoolExecutor(max_workers=len(targets)) as pool:
        futures = {
            name: pool.submit(_probe, url, settings.readiness_timeout)
            for name, url in targets.items()
        }
        failures = {name: f.result() for name, f in futures.items() if f.result() is not None}
    if failures:
        response = jsonify(status="unavailable", failing=sorted(failures), details=failures)
        response.status_code = 503
        return response
    return jsonify(status="ok")


@bp.get("/metrics")
def metrics() -> Response:
    return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)
