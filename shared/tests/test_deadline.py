"""A request's deadline bounds every call made for it: attempts are cut to the time left and no
retry is made that would not fit, against a real server that accepts and never answers."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from stackspin_clients import AsyncKratosAdmin, ClientConfig, KratosAdmin, request_deadline
from stackspin_clients.errors import ServiceUnavailable

pytestmark = pytest.mark.anyio


class SilentServer:
    """Accepts connections and keeps them open without ever answering (a hung Kratos)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                conn, _ = self.sock.accept()
                self.connections.append(conn)

    def connections_made(self) -> int:
        """Every connection made so far, after it stops accepting: a connect() completes in the
        kernel's listen queue before anyone accepts it, so none is missed and none is waited for."""
        self._stop.set()
        self._thread.join()
        self.sock.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            while True:
                self.connections.append(self.sock.accept()[0])
        return len(self.connections)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        for conn in self.connections:
            conn.close()
        self.sock.close()


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.stop()


def patient_config(url: str) -> ClientConfig:
    # Alone, one GET would take 3 x 5 s + backoff against a server that never answers.
    return ClientConfig(base_url=url, connect_timeout=2, read_timeout=5, max_retries=2, backoff=0.1)


async def test_a_hung_server_costs_no_more_than_the_request_deadline(
    caller: Any, silent_server: SilentServer
) -> None:
    kratos = caller(KratosAdmin, AsyncKratosAdmin, patient_config(silent_server.url))
    started = time.monotonic()
    with request_deadline(1.5), pytest.raises(ServiceUnavailable) as caught:
        await kratos("get_identity", "ada")
    elapsed = time.monotonic() - started

    # Held to the deadline: not sooner, and far from the 15 s of its timeouts and retries.
    assert 1.4 < elapsed < 6, elapsed
    assert "timed out" in caught.value.message
    # The first attempt used up the time: no retry was started that could not finish.
    assert silent_server.connections_made() == 1


async def test_a_call_after_the_deadline_is_not_sent(
    caller: Any, silent_server: SilentServer
) -> None:
    kratos = caller(KratosAdmin, AsyncKratosAdmin, patient_config(silent_server.url))
    with request_deadline(0), pytest.raises(ServiceUnavailable) as caught:
        await kratos("get_identity", "ada")

    assert "deadline" in caught.value.message
    assert silent_server.connections_made() == 0


async def test_without_a_deadline_the_configured_timeouts_apply(
    caller: Any, silent_server: SilentServer
) -> None:
    config = ClientConfig(base_url=silent_server.url, read_timeout=0.5, max_retries=1, backoff=0)
    kratos = caller(KratosAdmin, AsyncKratosAdmin, config)
    started = time.monotonic()
    with pytest.raises(ServiceUnavailable):
        await kratos("get_identity", "ada")

    # Two attempts of 0.5 s each, far from the 10 s default read timeout.
    assert 0.9 < time.monotonic() - started < 5
    assert silent_server.connections_made() == 2
