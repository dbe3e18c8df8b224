"""Connection settings shared by every client."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClientConfig:
    """Where a service lives and how patiently to talk to it.

    ``max_retries`` counts extra attempts for idempotent calls (GET/PUT/DELETE) after a
    connection error or a 502/503/504; the wait before retry ``n`` (0-based) is
    ``backoff * 2**n`` seconds.
    """

    base_url: str
    connect_timeout: float = 3.0
    read_timeout: float = 10.0
    max_retries: int = 2
    backoff: float = 0.2
