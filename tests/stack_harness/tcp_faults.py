"""Real network faults on loopback: a TCP proxy that can hang, and a server that never answers.

`HangingTcpProxy` forwards bytes both ways until `hang()`; from then on it keeps every
connection open and accepts new ones, but holds what it reads (as a peer that stopped, e.g. by
SIGSTOP, or a black-holing network). `resume()` delivers what it held and forwards again, so a
test can see whether a late statement or request still changes anything.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from stack_harness.ports import free_port

CHUNK = 65536


class HangingTcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._flowing = threading.Event()
        self._flowing.set()
        self._closed = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._listener.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True, name="tcp-proxy-accept").start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def hang(self) -> None:
        """Stop forwarding: connections stay open, nothing more reaches either side."""
        self._flowing.clear()

    def resume(self) -> None:
        """Deliver what was held and forward again."""
        self._flowing.set()

    def close(self) -> None:
        self._closed.set()
        self._flowing.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.close()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._track(client)
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            self._track(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(
                    target=self._pump, args=(source, sink), daemon=True, name="tcp-proxy-pump"
                ).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                self._flowing.wait()
                data = source.recv(CHUNK)
                # Held here while hung: read, but not passed on until resume().
                self._flowing.wait()
                if self._closed.is_set():
                    return
                if not data:
                    sink.shutdown(socket.SHUT_WR)
                    return
                sink.sendall(data)
        except OSError:
            with contextlib.suppress(OSError):
                sink.close()


@contextmanager
def hanging_tcp_proxy(target_host: str, target_port: int) -> Iterator[HangingTcpProxy]:
    proxy = HangingTcpProxy(target_host, target_port)
    try:
        yield proxy
    finally:
        proxy.close()


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections and reads requests but never answers; yields the port."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    port = int(listener.getsockname()[1])
    stop = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(conn)

    threading.Thread(target=accept, daemon=True, name="silent-server").start()
    try:
        yield port
    finally:
        stop.set()
        listener.close()
        for conn in held:
            with contextlib.suppress(OSError):
                conn.close()
