"""Structured JSON logs with the request id, and Prometheus metrics."""

from __future__ import annotations

import logging
import re
import sys
import time
import traceback
import uuid

import structlog
from prometheus_client import Counter, Histogram
from stackspin_clients import deadline_var, quiet_http_logs, request_id_var
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dashboard_api.errors import internal_error_response

log = logging.getLogger(__name__)
REQUEST_ID_HEADER = "x-request-id"
# Accept the proxy's id only when it looks like one (no log injection through headers).
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

REQUESTS = Counter("dashboard_api_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram("dashboard_api_request_seconds", "HTTP request latency", ["method", "route"])


def configure_logging(level: str, as_json: bool) -> None:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if as_json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
        ),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                renderer,
            ],
            foreign_pre_chain=[
                structlog.contextvars.merge_contextvars,
                structlog.processors.add_log_level,
                structlog.processors.TimeStamper(fmt="iso", utc=True),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    quiet_http_logs()  # no Ory URL (people's emails in lookups) from httpx/httpcore in the log


class RequestContextMiddleware:
    """Sets the request id (from X-Request-ID or new), echoes it, logs and measures the request."""

    def __init__(self, app: ASGIApp, budget: float | None = None) -> None:
        self.app = app
        # Seconds each request may take in all (Settings.request_timeout); None: no deadline.
        self.budget = budget

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = (
            dict(scope.get("headers") or []).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        )
        request_id = incoming if REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        deadline = deadline_var.set(None if self.budget is None else time.monotonic() + self.budget)
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status_holder = {"status": 500}
        started_response = False

        async def send_with_id(message: Message) -> None:
            nonlocal started_response
            if message["type"] == "http.response.start":
                started_response = True
                status_holder["status"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            if started_response:
                raise
            # Rendered here, where the request id is still known (Starlette's fallback is not).
            # A plain traceback: the console renderer's rich one would print local variables.
            log.error("unexpected error: %s", "".join(traceback.format_exception(exc)))
            await internal_error_response(scope["path"])(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            elapsed = time.perf_counter() - started
            REQUESTS.labels(scope["method"], template, str(status_holder["status"])).inc()
            LATENCY.labels(scope["method"], template).observe(elapsed)
            structlog.get_logger("dashboard_api.access").info(
                "request",
                method=scope["method"],
                path=template,
                status=status_holder["status"],
                duration_ms=round(elapsed * 1000, 1),
            )
            structlog.contextvars.unbind_contextvars("request_id")
            request_id_var.reset(token)
            deadline_var.reset(deadline)
