"""Request ids, structured JSON logs and Prometheus metrics.

Logs never carry passwords, codes, tokens or cookies: request logs hold the path without its
query string, and a processor drops any event field whose name looks secret.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog
from flask import Flask, g, request
from prometheus_client import Counter, Histogram
from stackspin_clients import deadline_var, quiet_http_logs, request_id_var
from werkzeug.wrappers import Response

from login_service.config import current_settings

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Hydra challenges and verifiers are short-lived, but they steer a login: kept out of logs too.
_SECRET_KEYS = re.compile(
    r"pass|secret|token|cookie|code|csrf|authorization|totp|otp|challenge|verifier", re.I
)

REQUESTS = Counter(
    "login_service_http_requests_total",
    "HTTP requests answered, by route and status.",
    ["method", "endpoint", "status"],
)
LATENCY = Histogram(
    "login_service_http_request_duration_seconds",
    "Time to answer an HTTP request, by route.",
    ["endpoint"],
)
DECISIONS = Counter(
    "login_service_hydra_decisions_total",
    "Hydra login, consent and logout requests, by outcome.",
    ["kind", "outcome"],
)


def current_request_id() -> str | None:
    return request_id_var.get()


def redact_secrets(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> Mapping[str, Any]:
    """Drop any field whose name suggests a secret; a last line of defence, not the first."""
    for key in [k for k in event if k != "event" and _SECRET_KEYS.search(k)]:
        event[key] = "[redacted]"
    return event


class _StderrLogger:
    """Writes each event line to whatever sys.stderr is now (servers and tests swap it)."""

    def __init__(self, *_args: Any) -> None:
        pass

    def msg(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    debug = info = warning = warn = error = critical = exception = fatal = log = msg


def configure_logging(level: str = "INFO") -> None:
    """JSON lines on stderr, the request id merged from context vars into every event."""
    logging.basicConfig(format="%(message)s", stream=sys.stderr, level=level.upper())
    quiet_http_logs()  # no challenge URL or Set-Cookie from httpx/httpcore in the log
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact_secrets,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
        ),
        logger_factory=_StderrLogger,
        cache_logger_on_first_use=False,
    )


def _start_request() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_id = request_id
    g.request_started = time.perf_counter()
    g.request_id_token = request_id_var.set(request_id)
    # Every Hydra/Kratos/dashboard-api call of this request ends before nginx stops waiting.
    g.deadline_token = deadline_var.set(time.monotonic() + current_settings().request_timeout)
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=request_id)


def _finish_request(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id:
        response.headers["X-Request-ID"] = request_id
    endpoint = request.url_rule.rule if request.url_rule else "unmatched"
    elapsed = time.perf_counter() - g.get("request_started", time.perf_counter())
    REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
    LATENCY.labels(endpoint).observe(elapsed)
    if not request.path.startswith(("/auth/static/", "/healthz", "/metrics")):
        structlog.get_logger("login_service.access").info(
            "request",
            method=request.method,
            path=request.path,  # never the query string: it may hold flow ids or codes
            status=response.status_code,
            duration_ms=round(elapsed * 1000, 1),
        )
    return response


def _teardown(_exc: BaseException | None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        request_id_var.reset(token)
    # gthread reuses a thread (and its context) for the next request: clear the deadline.
    deadline = g.pop("deadline_token", None)
    if deadline is not None:
        deadline_var.reset(deadline)
    structlog.contextvars.clear_contextvars()


def init_request_context(app: Flask) -> None:
    app.before_request(_start_request)
    app.after_request(_finish_request)
    app.teardown_request(_teardown)
