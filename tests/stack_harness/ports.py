"""Free loopback ports and waiting for a server to accept connections."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

from devstack.ports import free_port

__all__ = ["free_port", "wait_for_port"]


def wait_for_port(
    port: int, timeout: float = 20.0, alive: Callable[[], bool] | None = None
) -> None:
    """Return once 127.0.0.1:port accepts; raise TimeoutError otherwise.

    `alive` is an optional callable returning False when the server process died.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if alive is not None and not alive():
            raise RuntimeError(f"the server for port {port} exited before it listened")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")
