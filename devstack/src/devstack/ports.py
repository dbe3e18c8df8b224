"""Loopback ports for the servers devstack starts.

`free_port()` is what the kernel hands out for port 0: right for a server that binds once. A
server that is stopped and started again on its port (a real Ory server whose config changed)
needs `steady_port()`: one below the kernel's ephemeral range, which no outgoing connection and
no other `bind(0)` on the machine is given while the server is down. Its first restart on an
ephemeral port failed in CI with "address already in use".
"""

from __future__ import annotations

import random
import socket
import time
from collections.abc import Callable
from pathlib import Path

HOST = "127.0.0.1"
_EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_LOWEST = 10000  # below this live the well-known services people run on a machine


def free_port() -> int:
    """A port that was free a moment ago (the caller's server binds it right away)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _ephemeral_start() -> int:
    try:
        return int(_EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def steady_port(tries: int = 200) -> int:
    """A free port outside the ephemeral range, for a server that restarts on it."""
    highest = _ephemeral_start() - 1
    if highest <= _LOWEST:
        return free_port()  # an unusual range leaves no room below it
    for _ in range(tries):
        port = random.randint(_LOWEST, highest)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
            return port
    return free_port()


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
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {HOST}:{port} after {timeout}s")
