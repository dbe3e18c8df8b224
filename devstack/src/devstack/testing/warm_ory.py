"""Real Hydra and Kratos started one test ahead, so a `[real]` test does not wait for them.

A fresh real pair costs about a second to start (two Go processes, their databases copied from
a migrated template), which was most of what a `[real]` test took. While one test runs, the
next test's pair starts in a background thread, on the other CPU core; the next test takes it
if it wants the same thing — the same UI URL, since Hydra and Kratos redirect browsers there
and a change would restart both. Every test still gets a pair no other test has used.

The UI URL of a login-service test is its own listening socket's, bound before the stack starts
(`ui_socket`): the socket is bound here together with the pair that points at it, and handed to
the test that takes the pair. `DEVSTACK_WARM_ORY=0` turns it off (each pair starts in the test).
"""

from __future__ import annotations

import contextlib
import os
import socket
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from devstack.serve import LOOPBACK, bind_loopback

if TYPE_CHECKING:
    from devstack.realory.stack import RealOryStack


def _url(sock: socket.socket) -> str:
    return f"http://{LOOPBACK}:{sock.getsockname()[1]}"


def _started(ui_url: str | None) -> RealOryStack:
    from devstack.realory.stack import RealOryStack

    stack = RealOryStack()
    stack.ui_url = ui_url
    return stack.start()


@dataclass
class _Ahead:
    """A pair starting (or started) for the next test, and the UI socket it points at."""

    future: Future[RealOryStack]
    ui_url: str | None
    sock: socket.socket | None
    sock_taken: bool = field(default=False)

    def discard(self) -> None:
        with contextlib.suppress(Exception):  # one that failed to start has nothing to stop
            self.future.result().stop()
        if self.sock is not None and not self.sock_taken:
            self.sock.close()


class WarmRealOry:
    """`ui_socket()` (when the UI's URL is its socket's) then `take(url)` per test; `close()`
    at the end of the session."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warm-ory")
        self._ahead: _Ahead | None = None
        self._socket_urls: set[str] = set()  # handed out by ui_socket(), not yet taken
        self.enabled = os.environ.get("DEVSTACK_WARM_ORY", "1") != "0"

    def ui_socket(self) -> socket.socket:
        """A listening loopback socket for a login-service: the one the pair starting ahead
        points at when there is one, else a new one."""
        ahead = self._ahead
        if ahead is not None and ahead.sock is not None and not ahead.sock_taken:
            ahead.sock_taken = True
            sock = ahead.sock
        else:
            sock = bind_loopback()
        self._socket_urls.add(_url(sock))
        return sock

    def take(self, ui_url: str | None) -> RealOryStack:
        """A started pair pointed at `ui_url`, and the next one starting in the background
        (pointed at a new socket when this one's URL was a socket's, else at the same URL)."""
        by_socket = ui_url in self._socket_urls
        self._socket_urls.clear()
        ahead, self._ahead = self._ahead, None
        stack: RealOryStack | None = None
        if ahead is not None and ahead.ui_url == ui_url:
            try:
                stack = ahead.future.result()
            except Exception:  # start one here instead, and raise from that one
                stack = None
        elif ahead is not None:
            self._pool.submit(ahead.discard)  # before the next one starts, off this thread
        if stack is None:
            stack = _started(ui_url)
        if self.enabled:
            sock = bind_loopback() if by_socket else None
            next_url = _url(sock) if sock is not None else ui_url
            self._ahead = _Ahead(self._pool.submit(_started, next_url), next_url, sock)
        return stack

    def close(self) -> None:
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            ahead.discard()
        self._pool.shutdown(wait=True)
