"""How long one `OryStack` (what the `ory_stack` fixture gives every test) takes to start,
answer its first request and stop."""

from __future__ import annotations

import time

import httpx

from devstack.stack import OryStack


def ory_stack_cycle_ms(runs: int = 5) -> float:
    """The mean of `runs` start + first request + stop cycles, in milliseconds."""
    began = time.perf_counter()
    for _ in range(runs):
        with OryStack() as stack:
            httpx.get(f"{stack.hydra_public_url}/health/alive").raise_for_status()
    return (time.perf_counter() - began) / runs * 1000
