"""Run an ASGI or WSGI app on a loopback port in a background thread (tests and the dev runner)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from werkzeug.serving import BaseWSGIServer, make_server

LOOPBACK = "127.0.0.1"


def bind_loopback(port: int = 0) -> socket.socket:
    """Bind a listening TCP socket on 127.0.0.1 (port 0 picks a free one)."""
    # IPPROTO_TCP (not 0) lets asyncio set TCP_NODELAY; else small answers wait ~40 ms (Nagle).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


@dataclass
class RunningServer:
    """A server started in a thread; `url` has no trailing slash."""

    url: str
    port: int
    _stop: Callable[[], None] = field(repr=False)

    def stop(self) -> None:
        self._stop()


def start_asgi(app: Any, port: int = 0, sock: socket.socket | None = None) -> RunningServer:
    """Serve an ASGI app with uvicorn on 127.0.0.1 in a daemon thread; returns once it accepts."""
    sock = sock or bind_loopback(port)
    bound_port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
    server = uvicorn.Server(config)

    def run() -> None:
        asyncio.run(server.serve(sockets=[sock]))

    thread = threading.Thread(target=run, name=f"asgi-{bound_port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"ASGI server on port {bound_port} did not start")
        time.sleep(0.01)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()

    return RunningServer(url=f"http://{LOOPBACK}:{bound_port}", port=bound_port, _stop=stop)


def start_wsgi(app: Any, port: int = 0) -> RunningServer:
    """Serve a WSGI app with werkzeug's threaded server on 127.0.0.1 in a daemon thread."""
    server: BaseWSGIServer = make_server(LOOPBACK, port, app, threaded=True)
    # A short poll interval makes shutdown() return in milliseconds instead of half a second.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="wsgi", daemon=True
    )
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()

    return RunningServer(
        url=f"http://{LOOPBACK}:{server.server_port}", port=server.server_port, _stop=stop
    )
