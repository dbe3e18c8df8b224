"""A real Ory server counts as started only once both of its ports answer: Hydra and Kratos
open their admin and public listeners side by side, so the admin one being ready says nothing
of the other (a test once met a refused Kratos public port right after the start)."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import pytest
from devstack.ports import steady_port
from devstack.realory.process import OryProcess, OryProcessError
from devstack.serve import RunningServer, start_asgi
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

PUBLIC_LATE_BY = 0.6


async def ok(request: Request) -> Response:
    return PlainTextResponse("ok")


def _health() -> Starlette:
    return Starlette(routes=[Route("/health/ready", ok), Route("/health/alive", ok)])


def _waiting(tmp_path: Path, public_url: str | None) -> tuple[OryProcess, RunningServer]:
    """An OryProcess whose child is a plain `sleep` (alive, serving nothing) and whose admin
    port is a real server already answering /health/ready."""
    admin = start_asgi(_health())
    process = OryProcess(
        "kratos", [], admin_url=admin.url, public_url=public_url, log=tmp_path / "kratos.log"
    )
    process._process = subprocess.Popen(["sleep", "60"])
    return process, admin


def test_ready_waits_for_the_public_port_that_opens_later(tmp_path: Path) -> None:
    port = steady_port()
    public: list[RunningServer] = []
    opener = threading.Timer(PUBLIC_LATE_BY, lambda: public.append(start_asgi(_health(), port)))
    process, admin = _waiting(tmp_path, f"http://127.0.0.1:{port}")
    try:
        began = time.monotonic()
        opener.start()
        process.wait_ready(timeout=10)
        waited = time.monotonic() - began
    finally:
        opener.join()
        process.stop()
        admin.stop()
        for server in public:
            server.stop()
    assert waited >= PUBLIC_LATE_BY
    assert public, "ready before the public port was even opened"


def test_a_public_port_that_never_answers_is_not_ready(tmp_path: Path) -> None:
    process, admin = _waiting(tmp_path, f"http://127.0.0.1:{steady_port()}")
    try:
        with pytest.raises(OryProcessError, match="not ready after 1 s"):
            process.wait_ready(timeout=1)
    finally:
        process.stop()
        admin.stop()
