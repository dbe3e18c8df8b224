"""The request id passed on to every outgoing call as ``X-Request-ID``."""

from __future__ import annotations

from contextvars import ContextVar

#: Set this (e.g. in a Flask ``before_request`` or a FastAPI middleware) to the id of the
#: incoming request; every client call made in that context then sends it as X-Request-ID.
request_id_var: ContextVar[str | None] = ContextVar("stackspin_request_id", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
