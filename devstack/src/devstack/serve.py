"""Run ASGI or WSGI apps on loopback ports in background threads (tests and the dev runner).

`AsgiServers` serves several ASGI apps with uvicorn in one thread and one event loop (one thread
for all of them keeps an `OryStack` cheap to start: tests start one per test); `start_asgi` is
the one-app case. Both stop in milliseconds (see `_Server`). `start_wsgi` runs werkzeug's
threaded server.
"""

from __future__ import annotations

import asyncio
import contextlib
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
    """A listening TCP socket on 127.0.0.1 (port 0: a free one).

    Created with proto=IPPROTO_TCP on purpose: asyncio turns Nagle off (TCP_NODELAY) only on
    sockets whose `proto` says TCP, and a plain `socket.socket()` has proto 0. With Nagle on,
    every response written in two parts (headers, then body) waits ~40 ms for the client's
    delayed ACK.
    """
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
    servers = AsgiServers()
    served = servers.add("asgi", app, sock=sock or servers.bind(port))
    servers.start()
    return RunningServer(url=served.url, port=served.port, _stop=servers.stop)


def start_wsgi(app: Any, port: int = 0, sock: socket.socket | None = None) -> RunningServer:
    """Serve a WSGI app with werkzeug's threaded server on 127.0.0.1 in a daemon thread
    (on `sock`, a listening socket from `bind_loopback`, when given)."""
    fd = sock.fileno() if sock is not None else None
    server: BaseWSGIServer = make_server(LOOPBACK, port, app, threaded=True, fd=fd)
    # A short poll interval makes shutdown() return in milliseconds instead of half a second.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="wsgi", daemon=True
    )
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()

    bound_port: int = server.socket.getsockname()[1]
    return RunningServer(url=f"http://{LOOPBACK}:{bound_port}", port=bound_port, _stop=stop)


class _Server(uvicorn.Server):
    """uvicorn polls `should_exit` every 100 ms; `wake()` lets a stop take effect at once."""

    _loop: asyncio.AbstractEventLoop | None = None
    _woken: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._woken = asyncio.Event()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), 0.1)
            should_exit = await self.on_tick(counter)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # uvicorn's own shutdown sleeps in steps of 100 ms; the same steps, polled every 5 ms.
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (self.config.timeout_graceful_shutdown or 5)
        while self.server_state.connections or self.server_state.tasks:
            if loop.time() > deadline:
                for task in self.server_state.tasks:
                    task.cancel(msg="graceful shutdown took too long")
                break
            await asyncio.sleep(0.005)
        if not self.force_exit:
            await self.lifespan.shutdown()

    def wake(self) -> None:
        self.should_exit = True
        loop, woken = self._loop, self._woken
        if loop is not None and woken is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(woken.set)


@dataclass(frozen=True)
class Served:
    name: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"


class AsgiServers:
    """`add(name, app, port)` binds at once (so URLs are known before apps are built);
    `start()` serves all added apps; `stop()` shuts them down and closes the sockets."""

    def __init__(self) -> None:
        self._pending: list[tuple[str, Any, socket.socket, bool]] = []
        self._servers: list[_Server] = []
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []

    def bind(self, port: int = 0) -> socket.socket:
        sock = bind_loopback(port)
        self._sockets.append(sock)
        return sock

    def add(
        self, name: str, app: Any, *, sock: socket.socket | None = None, trust_proxy: bool = True
    ) -> Served:
        """Queue `app` on `sock` (a new free port when None). `trust_proxy=False` for the
        router: it must see the real peer, not the X-Forwarded-For a browser sent."""
        sock = sock or self.bind()
        self._pending.append((name, app, sock, trust_proxy))
        return Served(name, sock.getsockname()[1])

    def start(self, timeout: float = 10.0) -> None:
        pending, self._pending = self._pending, []
        servers = [
            _Server(
                uvicorn.Config(
                    app,
                    log_level="warning",
                    access_log=False,
                    lifespan="auto",
                    proxy_headers=trust_proxy,
                    server_header=False,
                    timeout_graceful_shutdown=2,
                )
            )
            for _, app, _, trust_proxy in pending
        ]
        self._servers += servers

        async def serve_all() -> None:
            await asyncio.gather(
                *(
                    server.serve(sockets=[sock])
                    for server, (_, _, sock, _) in zip(servers, pending, strict=True)
                )
            )

        thread = threading.Thread(
            target=lambda: asyncio.run(serve_all()), name="devstack-asgi", daemon=True
        )
        thread.start()
        self._threads.append(thread)
        deadline = time.monotonic() + timeout
        while not all(server.started for server in servers):
            if not thread.is_alive() or time.monotonic() > deadline:
                names = ", ".join(name for name, *_ in pending)
                raise RuntimeError(f"could not start {names}")
            time.sleep(0.002)

    def stop(self) -> None:
        for server in self._servers:
            server.wake()
        for thread in self._threads:
            thread.join(timeout=5)
        for sock in self._sockets:
            sock.close()
        self._servers.clear()
        self._threads.clear()
        self._sockets.clear()
