"""The fault proxy makes the faults it promises, against a real HTTP server over TCP."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from devstack.serve import RunningServer, start_asgi
from devstack.testing.faultproxy import Fault, FaultProxy, silent_server


class Counter:
    """An ASGI app answering each request with its path; counts what it served."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        self.seen.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": scope["path"].encode()})


@pytest.fixture
def server() -> Iterator[tuple[Counter, RunningServer]]:
    app = Counter()
    running = start_asgi(app)
    yield app, running
    running.stop()


@pytest.fixture
def proxy(server: tuple[Counter, RunningServer]) -> Iterator[FaultProxy]:
    with FaultProxy("127.0.0.1", server[1].port) as running:
        yield running


@pytest.fixture
def client(proxy: FaultProxy) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=proxy.url, timeout=2) as http:
        yield http


def test_requests_pass_through_unchanged(client, server) -> None:
    assert client.get("/a").text == "/a"
    assert client.get("/b").text == "/b"
    assert server[0].seen == ["/a", "/b"]


def test_a_cut_request_never_reaches_the_server(client, proxy, server) -> None:
    proxy.when(rb"^POST /make", Fault.CUT)
    with pytest.raises(httpx.TransportError):
        client.post("/make")
    assert server[0].seen == []
    assert client.post("/make").text == "/make"  # the rule fired once


def test_a_lost_answer_means_the_work_was_done(client, proxy, server) -> None:
    proxy.when(rb"^POST /make", Fault.LOSE_ANSWER)
    with pytest.raises(httpx.TransportError):
        client.post("/make")
    assert server[0].seen == ["/make"]


def test_down_after_lets_the_answer_through_and_fails_everything_later(
    client, proxy, server
) -> None:
    fired = threading.Event()
    proxy.when(rb"^POST /make", Fault.FORWARD, down_after=True, then=fired.set)
    assert client.post("/make").text == "/make"
    assert fired.is_set()
    with pytest.raises(httpx.TransportError):
        client.get("/next")
    with httpx.Client(base_url=proxy.url, timeout=2) as fresh, pytest.raises(httpx.TransportError):
        fresh.get("/new-connection")
    proxy.heal()
    assert client.get("/again").text == "/again"
    assert server[0].seen == ["/make", "/again"]


def test_a_hang_times_the_client_out_and_heal_cuts_what_it_held(proxy, server) -> None:
    proxy.hang()
    with httpx.Client(base_url=proxy.url, timeout=0.5) as http:
        with pytest.raises(httpx.TimeoutException):
            http.get("/held")
        proxy.heal()
        assert http.get("/after").text == "/after"
    assert server[0].seen == ["/after"]


def _raw_get(port: int, path: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=0.3)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
    return sock


def test_resume_delivers_what_the_hang_held(proxy, server) -> None:
    proxy.hang()
    with _raw_get(proxy.port, "/late") as sock:
        with pytest.raises(TimeoutError):
            sock.recv(1)
        assert server[0].seen == []
        proxy.resume()
        sock.settimeout(5)
        answer = b"".join(iter(lambda: sock.recv(4096), b""))
    assert answer.startswith(b"HTTP/1.1 200")
    assert b"\r\n/late\r\n" in answer
    assert server[0].seen == ["/late"]


def test_a_silent_server_reads_and_never_answers() -> None:
    with (
        silent_server() as port,
        _raw_get(port, "/anything") as sock,
        pytest.raises(TimeoutError),
    ):
        sock.recv(1)


def test_down_refuses_until_healed(client, proxy) -> None:
    assert client.get("/a").status_code == 200
    proxy.down()
    with pytest.raises(httpx.TransportError):
        client.get("/b")
    proxy.heal()
    assert client.get("/c").status_code == 200
