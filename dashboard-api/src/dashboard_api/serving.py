"""The gunicorn worker class: uvicorn's, with new connections going to the least busy worker.

All workers wait on the one listening socket gunicorn opened, and an event loop that wakes up
accepts every connection already queued (asyncio and uvloop both do). So a burst of clients
(nginx opening its keep-alive connections, a load test) lands on whichever worker the kernel
ran first, and keep-alive keeps it there: one core serves everything while the other idles.

Here the workers keep a `Ledger` of their open connections in memory shared with the master.
A worker that wakes up for a new connection takes it (one `accept()`) only if no serving worker
has fewer open connections; otherwise it leaves it for a few milliseconds to a less busy one,
and takes it after all if none did (a worker stuck in a long request does not hold it up).
"""

from __future__ import annotations

import asyncio
import ctypes
import errno
import functools
import logging
import os
import socket
from collections.abc import Callable
from multiprocessing.sharedctypes import RawArray
from typing import Any

from gunicorn.arbiter import Arbiter
from uvicorn.server import Server
from uvicorn_worker import UvicornWorker

logger = logging.getLogger("uvicorn.error")

# Out of file descriptors or memory: stop accepting for a moment (as asyncio does).
_RESOURCE_ERRORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
_RETRY_SECONDS = 1.0
# How long a worker leaves a new connection to a less busy one, and how often it looks again.
_DEFER_SECONDS = 0.002
_DEFERRALS = 4


class Ledger:
    """Open connections per worker slot, in memory the master shares with the workers it forks.

    The master hands out slots (`assign` before a fork, `release` once the worker exited);
    a worker says when it serves and stops (`serving`) and how many connections it holds.
    """

    def __init__(self, slots: int) -> None:
        self._pids: Any = RawArray(ctypes.c_int, slots)  # the serving worker's pid, else 0
        self._open: Any = RawArray(ctypes.c_int, slots)
        self._assigned: set[int] = set()  # the master's bookkeeping

    def assign(self) -> int | None:
        """A free slot for the worker about to be forked; None when all are taken."""
        free = sorted(set(range(len(self._pids))) - self._assigned)
        if not free:
            return None
        self._assigned.add(free[0])
        return free[0]

    def release(self, slot: int) -> None:
        self._assigned.discard(slot)
        self._pids[slot] = 0
        self._open[slot] = 0

    def serving(self, slot: int, pid: int | None) -> None:
        self._open[slot] = 0
        self._pids[slot] = pid or 0

    def holds(self, slot: int, connections: int) -> None:
        self._open[slot] = connections

    def least_busy(self, slot: int) -> bool:
        """Whether no other serving worker holds fewer connections than this slot's."""
        mine = self._open[slot]
        return all(
            self._open[other] >= mine
            for other in range(len(self._pids))
            if other != slot and self._pids[other]
        )


class BalancedServer(Server):
    """A uvicorn server that accepts one connection at a time, when it is the least busy."""

    def __init__(self, *args: Any, ledger: Ledger | None, slot: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ledger = ledger if slot is not None else None
        self._slot = slot or 0
        self._listening: list[socket.socket] = []
        self._accepting: set[asyncio.Task[Any]] = set()
        self._deferred = 0

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])  # lifespan and state; no asyncio server of its own
        self._listening = list(sockets or [])
        for sock in self._listening:
            sock.setblocking(False)
            self._watch(sock)
        if self._ledger is not None:
            self._ledger.serving(self._slot, os.getpid())

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self._ledger is not None:
            self._ledger.serving(self._slot, None)
        loop = asyncio.get_running_loop()
        for sock in self._listening:
            loop.remove_reader(sock.fileno())
        self._listening = []
        await super().shutdown(sockets=sockets)

    async def on_tick(self, counter: int) -> bool:
        self._publish()  # connections closed since the last accept
        return await super().on_tick(counter)

    def _publish(self) -> None:
        if self._ledger is not None:
            held = len(self.server_state.connections) + len(self._accepting)
            self._ledger.holds(self._slot, held)

    def _watch(self, sock: socket.socket) -> None:
        if sock in self._listening:
            asyncio.get_running_loop().add_reader(sock.fileno(), self._readable, sock)

    def _later(self, sock: socket.socket, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        loop.remove_reader(sock.fileno())
        loop.call_later(seconds, self._watch, sock)

    def _readable(self, sock: socket.socket) -> None:
        if self._ledger is not None:
            self._publish()
            if not self._ledger.least_busy(self._slot) and self._deferred < _DEFERRALS:
                self._deferred += 1
                self._later(sock, _DEFER_SECONDS)
                return
        self._deferred = 0
        try:
            connection, _ = sock.accept()
        except (BlockingIOError, InterruptedError, ConnectionAbortedError):
            return  # another worker took it
        except OSError as exc:
            if exc.errno not in _RESOURCE_ERRORS:
                raise
            logger.warning("Not accepting connections for %.0f s: %s", _RETRY_SECONDS, exc)
            self._later(sock, _RETRY_SECONDS)
            return
        connection.setblocking(False)
        loop = asyncio.get_running_loop()
        make: Callable[..., asyncio.Protocol] = self.config.http_protocol_class
        protocol = functools.partial(
            make,
            config=self.config,
            server_state=self.server_state,
            app_state=self.lifespan.state,
            _loop=loop,
        )
        task = loop.create_task(loop.connect_accepted_socket(protocol, connection))
        self._accepting.add(task)
        task.add_done_callback(self._connected)
        self._publish()

    def _connected(self, task: asyncio.Task[Any]) -> None:
        self._accepting.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            logger.warning("A connection was dropped while being set up: %s", exc)


class Worker(UvicornWorker):  # type: ignore[misc]
    """`worker_class = "dashboard_api.serving.Worker"`. gunicorn.conf.py's `pre_fork` and
    `child_exit` hooks give it a slot of a ledger and take it back (`enter`, `leave`); without
    one it takes connections as they come, one at a time."""

    ledger: Ledger | None = None
    ledger_slot: int | None = None

    def enter(self, ledger: Ledger) -> None:
        """In the master, before the fork."""
        self.ledger, self.ledger_slot = ledger, ledger.assign()

    def leave(self) -> None:
        """In the master, once the worker exited (whichever ledger it had: a reload makes a
        new one)."""
        if self.ledger is not None and self.ledger_slot is not None:
            self.ledger.release(self.ledger_slot)
            self.ledger_slot = None

    async def _serve(self) -> None:
        self.config.app = self.wsgi
        server = BalancedServer(config=self.config, ledger=self.ledger, slot=self.ledger_slot)
        self._install_sigquit_handler()
        await server.serve(sockets=self.sockets)
        if not server.started:
            raise SystemExit(Arbiter.WORKER_BOOT_ERROR)
