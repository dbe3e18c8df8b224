"""The benchmark's load generator counts what it should (the full `make bench` is not a test)."""

from collections.abc import Iterator

import pytest
from devstack.bench import load
from devstack.serve import AsgiServers, Served
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route


async def ok(request: Request) -> Response:
    return PlainTextResponse("x" * 100)


async def chunked(request: Request) -> Response:
    async def parts():
        yield b"a" * 10
        yield b"b" * 5000

    return StreamingResponse(parts())


async def teapot(request: Request) -> Response:
    return PlainTextResponse("no", status_code=418)


async def closing(request: Request) -> Response:
    return PlainTextResponse("bye", headers={"Connection": "close"})


@pytest.fixture(scope="module")
def server() -> Iterator[Served]:
    servers = AsgiServers()
    app = Starlette(
        routes=[
            Route("/ok", ok),
            Route("/chunked", chunked),
            Route("/teapot", teapot),
            Route("/closing", closing),
        ]
    )
    served = servers.add("bench-target", app)
    servers.start()
    yield served
    servers.stop()


@pytest.mark.parametrize("path", ["/ok", "/chunked", "/closing"])
def test_every_request_is_measured(server: Served, path: str) -> None:
    result = load.run("127.0.0.1", server.port, path, count=200, concurrency=4, ok={200})

    assert result.statuses == {200: 200}
    assert result.errors == 0
    assert len(result.latencies) == 200
    assert result.per_second > 0
    assert 0 < result.percentile(50) <= result.percentile(95)


def test_unexpected_statuses_are_errors(server: Served) -> None:
    result = load.run("127.0.0.1", server.port, "/teapot", count=50, concurrency=2, ok={200})

    assert result.statuses == {418: 50}
    assert result.errors == 50
    assert result.latencies == []


def test_a_new_report_keeps_the_hand_written_sections() -> None:
    from devstack.bench.__main__ import kept_sections

    notes = "\n## Issue 13, first step\n\nBefore 0.40 ms, after 0.19 ms.\n"
    assert kept_sections("# Benchmarks\n\n| table |\n- a bullet\n" + notes) == notes
    assert kept_sections("# Benchmarks\n\n| table |\n") == ""
