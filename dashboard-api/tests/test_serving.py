"""The worker class (`dashboard_api.serving`): gunicorn with the production settings, three
workers, and clients that open their keep-alive connections all at once."""

from __future__ import annotations

import asyncio
import collections
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from dashboard_api.serving import Ledger

CONFIG = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"

# Answers each request with the pid of the worker that serves it.
PID_APP = """
import os

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = str(os.getpid()).encode()
    headers = [(b"content-type", b"text/plain"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _workers(master: int) -> set[str]:
    return set(Path(f"/proc/{master}/task/{master}/children").read_text().split())


def _answering(url: str, pids: set[str], deadline: float) -> None:
    """Until each of `pids` has answered a request of its own connection."""
    seen: set[str] = set()
    while not pids <= seen:
        assert time.monotonic() < deadline, f"workers {pids - seen} did not answer"
        try:
            seen.add(httpx.get(url, trust_env=False, timeout=2).text)
        except httpx.TransportError:
            time.sleep(0.1)


def _serve(tmp_path: Path, *extra: str) -> Iterator[tuple[str, int]]:
    (tmp_path / "pid_app.py").write_text(PID_APP)
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(CONFIG),
            "pid_app:app",
            "--pythonpath",
            str(tmp_path),
            "--bind",
            f"127.0.0.1:{port}",
            *extra,
        ],
        env={**os.environ, "DASHBOARD_WORKERS": "3"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        pids: set[str] = set()
        while len(pids) < 3:  # every worker up: each answered once
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "three workers did not start"
            try:
                pids.add(httpx.get(url, trust_env=False, timeout=2).text)
            except httpx.TransportError:
                time.sleep(0.1)
        yield url, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    for url, _ in _serve(tmp_path):
        yield url


async def _burst(url: str, clients: int, requests: int) -> list[str]:
    """`clients` connections opened at once, `requests` each over keep-alive: the pid that
    served each connection (all of a connection's answers must come from one worker)."""
    host, port = url.removeprefix("http://").split(":")
    raw = f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()

    async def client() -> str:
        reader, writer = await asyncio.open_connection(host, int(port))
        seen = set()
        for _ in range(requests):
            writer.write(raw)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            )
            seen.add((await reader.readexactly(length)).decode())
        writer.close()
        assert len(seen) == 1
        return seen.pop()

    return await asyncio.gather(*(client() for _ in range(clients)))


def _spread(url: str, clients: int = 12) -> list[int]:
    served_by = collections.Counter(asyncio.run(_burst(url, clients, requests=20)))
    return sorted(served_by.values())


def _assert_spread(spread: list[int]) -> None:
    # 12 connections, 3 workers: 4 each. A worker the scheduler kept off the CPU for the few
    # milliseconds others wait for it loses its turn, so allow 2 to 6 (uvicorn's own worker
    # splits them as [1, 11], [12], [1, 4, 7]).
    assert len(spread) == 3, spread
    assert spread[0] >= 2, spread
    assert spread[-1] <= 6, spread


def test_a_burst_of_keep_alive_clients_is_spread_over_every_worker(served: str) -> None:
    for _ in range(3):
        _assert_spread(_spread(served))


def test_workers_that_replace_exited_ones_take_their_turn_too(tmp_path: Path) -> None:
    for url, master in _serve(tmp_path):
        # More replacements than the ledger has slots (2 per worker): exited workers' slots
        # must be handed out again.
        for _ in range(8):
            before = _workers(master)
            gone = sorted(before)[0]
            os.kill(int(gone), signal.SIGTERM)
            deadline = time.monotonic() + 30
            while gone in (now := _workers(master)) or len(now) < 3:
                assert time.monotonic() < deadline, "no worker replaced the one that exited"
                time.sleep(0.05)
            _answering(url, now, deadline)
        _assert_spread(_spread(url))


def test_the_ledger_names_the_least_busy_serving_worker() -> None:
    ledger = Ledger(4)
    first, second, third = ledger.assign(), ledger.assign(), ledger.assign()
    assert (first, second, third) == (0, 1, 2)
    ledger.serving(0, 100)
    ledger.serving(1, 101)
    ledger.holds(0, 3)
    ledger.holds(1, 2)
    assert not ledger.least_busy(0)
    assert ledger.least_busy(1)
    ledger.holds(1, 3)
    assert ledger.least_busy(0)  # a tie: either takes it
    assert ledger.least_busy(1)
    ledger.holds(2, 0)  # assigned but not serving yet (booting): not waited for
    assert ledger.least_busy(0)
    ledger.serving(1, None)  # stopped accepting: its count no longer matters
    ledger.holds(0, 9)
    assert ledger.least_busy(0)
    ledger.release(0)
    assert ledger.assign() == 0  # a released slot is handed out again
    assert ledger.assign() == 3
    assert ledger.assign() is None  # all taken: that worker runs without the ledger
