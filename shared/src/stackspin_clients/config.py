"""Connection settings shared by every client."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClientConfig:
    """Where a service lives and how patiently to talk to it.

    ``max_retries`` counts extra attempts for idempotent calls (GET/PUT/DELETE) after a
    connection error or a 502/503/504; the wait before retry ``n`` (0-based) is
    ``backoff * 2**n`` seconds.

    ``keepalive_expiry``: a pooled connection idle this long is closed rather than reused. It
    stays below the servers' own keep-alive timeout (uvicorn's and our gunicorn configs' 5 s),
    so a call is never sent on a connection the server is closing at that moment — which a
    POST, not retried, would turn into an error ("Server disconnected without sending a
    response"). httpx's default is 5 s, the same as the servers': that race.
    """

    base_url: str
    connect_timeout: float = 3.0
    read_timeout: float = 10.0
    max_retries: int = 2
    backoff: float = 0.2
    keepalive_expiry: float = 4.0
