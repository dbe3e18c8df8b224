"""`FaultProxy`: a TCP proxy in front of one server that drops, cuts or hangs traffic on cue.

Tests put it between a service and Kratos, Hydra or MariaDB to make real network faults: the
server goes down, stops answering, or does the work while its answer never arrives. It knows no
protocol; a rule matches the bytes of one chunk the client sends (HTTP/1.1 clients write a
request's head in one chunk, so `rb"^POST /admin/clients"` finds a request; pymysql sends
`COMMIT` as one packet, `rb"\\x03COMMIT"`).

    with FaultProxy("127.0.0.1", 4434) as proxy:
        proxy.when(rb"^POST /admin/identities", Fault.LOSE_ANSWER)   # created, never told
        proxy.when(rb"^PATCH /admin/identities", Fault.FORWARD, down_after=True)
        ...                               # the service talks to proxy.url
        proxy.down()                      # refuse every connection, cut the open ones
        proxy.heal()                      # pass everything again

`hang()` holds every byte; `heal()` then cuts what was held (a peer that was stopped and
killed), `resume()` delivers it late (a peer that was stopped and continued), so a test can see
whether a late statement or request still changes anything. `silent_server()` is a port that
accepts and reads but never answers.
"""

from __future__ import annotations

import contextlib
import enum
import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

from devstack.serve import bind_loopback

CHUNK = 65536


class Fault(enum.Enum):
    FORWARD = "forward"  # the chunk passes (with `then` or `down_after`: a cue, not a fault)
    CUT = "cut"  # close both sides; the chunk never reaches the server
    LOSE_ANSWER = "lose_answer"  # the server gets the chunk; its answer is dropped, client cut
    HANG = "hang"  # the chunk is held and the proxy hangs (see `FaultProxy.hang`)


@dataclass
class Rule:
    pattern: re.Pattern[bytes]
    fault: Fault
    # Matches left before the rule retires (None: never retires).
    times: int | None = 1
    # Called when the rule fires, e.g. to arm a rule on another proxy.
    then: Callable[[], None] | None = None
    # Once the server answers the chunk, the proxy goes down (the answer itself still flows,
    # unless lost): the work is done, and every later request fails.
    down_after: bool = False
    fired: int = 0


@dataclass(eq=False)  # hashed by identity: kept in a set
class _Link:
    client: socket.socket
    upstream: socket.socket
    lose_answer: bool = False
    down_after_answer: bool = False
    closed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def close(self) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
        for sock in (self.client, self.upstream):
            with contextlib.suppress(OSError):  # already closed by the other side
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


class FaultProxy:
    """Forwards 127.0.0.1:`port` to `target_host`:`target_port`; see the module docstring."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._listener = bind_loopback()
        self.port: int = self._listener.getsockname()[1]
        self.host = "127.0.0.1"
        self._rules: list[Rule] = []
        self._links: set[_Link] = set()
        self._lock = threading.Lock()
        self._down = False
        self._flowing = threading.Event()
        self._flowing.set()
        # Whether what a hang held is delivered when it ends (resume) or dropped (heal).
        self._deliver_held = False
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._accept, name=f"fault-proxy-{self.port}", daemon=True
        )

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>`, for HTTP targets."""
        return f"http://{self.host}:{self.port}"

    @property
    def address(self) -> str:
        """`127.0.0.1:<port>`, for any TCP target."""
        return f"{self.host}:{self.port}"

    # --- control ---------------------------------------------------------------------------

    def when(
        self,
        pattern: bytes,
        fault: Fault,
        *,
        times: int | None = 1,
        then: Callable[[], None] | None = None,
        down_after: bool = False,
    ) -> Rule:
        """Apply `fault` to the next `times` client chunks matching `pattern` (a regex)."""
        rule = Rule(re.compile(pattern), fault, times, then, down_after)
        with self._lock:
            self._rules.append(rule)
        return rule

    def down(self) -> None:
        """Refuse new connections (accepted and closed at once) and cut the open ones."""
        with self._lock:
            self._down = True
            links = list(self._links)
        for link in links:
            link.close()

    def hang(self) -> None:
        """Hold every byte in both directions, on open and new connections; heal() cuts the
        connections that held something (as a server stopped with SIGSTOP and then killed)."""
        self._deliver_held = False
        self._flowing.clear()

    def resume(self) -> None:
        """End a hang delivering what it held (late), then forward again; rules stay."""
        self._deliver_held = True
        self._flowing.set()

    def heal(self) -> None:
        """Pass everything again; forget the rules."""
        with self._lock:
            self._down = False
            self._rules.clear()
        self._deliver_held = False
        self._flowing.set()

    @property
    def is_down(self) -> bool:
        return self._down

    # --- running ---------------------------------------------------------------------------

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._deliver_held = False
        self._flowing.set()
        with contextlib.suppress(OSError):  # wakes the accept() (close alone does not)
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        with self._lock:
            links = list(self._links)
        for link in links:
            link.close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._down:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            link = _Link(client, upstream)
            with self._lock:
                self._links.add(link)
            for pump in (self._pump_requests, self._pump_answers):
                threading.Thread(target=pump, args=(link,), daemon=True).start()

    def _forget(self, link: _Link) -> None:
        link.close()
        with self._lock:
            self._links.discard(link)

    def _wait_until_flowing(self, link: _Link) -> bool:
        """False when the link must end: a chunk held by a hang is dropped when it ends by
        heal() or stop(), and delivered when it ends by resume()."""
        if self._flowing.is_set():
            return not link.closed
        self._flowing.wait()
        return self._deliver_held and not link.closed and not self._stopped.is_set()

    def _match(self, chunk: bytes) -> Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.pattern.search(chunk):
                    rule.fired += 1
                    if rule.times is not None and rule.fired >= rule.times:
                        self._rules.remove(rule)
                    return rule
        return None

    def _pump_requests(self, link: _Link) -> None:
        try:
            while True:
                chunk = link.client.recv(CHUNK)
                if not chunk or not self._wait_until_flowing(link) or self._down:
                    return
                rule = self._match(chunk)
                if rule is not None:
                    if rule.then is not None:
                        rule.then()
                    if rule.fault is Fault.CUT:
                        return
                    if rule.fault is Fault.HANG:
                        self._flowing.clear()
                        if not self._wait_until_flowing(link):
                            return
                    link.lose_answer = rule.fault is Fault.LOSE_ANSWER
                    link.down_after_answer = rule.down_after
                link.upstream.sendall(chunk)
        except OSError:
            return
        finally:
            self._forget(link)

    def _pump_answers(self, link: _Link) -> None:
        try:
            while True:
                chunk = link.upstream.recv(CHUNK)
                if not chunk or not self._wait_until_flowing(link):
                    return
                if link.down_after_answer:
                    # Later requests fail; the rest of this answer still flows.
                    with self._lock:
                        self._down = True
                if link.lose_answer:
                    return  # the server did the work; the client hears nothing but a cut
                link.client.sendall(chunk)
        except OSError:
            return
        finally:
            self._forget(link)


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections and reads requests but never answers; yields the port."""
    listener = bind_loopback()
    port: int = listener.getsockname()[1]
    stopped = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        while not stopped.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True, name=f"silent-server-{port}")
    thread.start()
    try:
        yield port
    finally:
        stopped.set()
        with contextlib.suppress(OSError):  # wakes the accept()
            listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        thread.join(timeout=5)
        for conn in held:
            with contextlib.suppress(OSError):
                conn.close()
