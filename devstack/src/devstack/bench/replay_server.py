"""`python -m devstack.bench.replay_server UPSTREAM_URL...`: the bench's replay mode — recorded
Ory answers served in ~0.2 ms, so a row measures our code rather than the Python stand-ins.

One listening port per upstream, one process, one event loop (raw asyncio streams: HTTP/1.1
with Content-Length bodies and keep-alive, which is all our clients send). Each port starts
*recording*: it forwards every request to its upstream and keeps the answer (status, headers,
body bytes) under method + path with query + request body. `POST /__replay/replay` on any port
switches all of them to *replaying*: a recorded request gets those exact bytes back, any other
a 404 problem saying it was not recorded. `GET /__bench/requests` answers how many requests
each port served (the bench's calls per request). Prints one JSON line, `{"urls": [...]}`,
once listening; stops when stdin closes.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from dataclasses import dataclass, field

import httpx

from devstack.ports import HOST

COUNTS_PATH = "/__bench/requests"
REPLAY_PATH = "/__replay/replay"
# Not replayed: framing the server writes itself, and what says when or who answered.
_DROPPED = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive", "date"})
_REASONS = {200: "OK", 201: "Created", 204: "No Content", 404: "Not Found"}
Key = tuple[str, str, bytes]


@dataclass
class Request:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def key(self) -> Key:
        return (self.method, self.target, self.body)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name), None)


@dataclass
class Replayer:
    """What every port recorded, and whether they now replay it."""

    upstreams: list[str]
    replaying: bool = False
    recorded: dict[tuple[int, Key], bytes] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    async def answer(self, index: int, request: Request) -> bytes:
        """The whole HTTP response for `request` on port `index`."""
        if request.target == COUNTS_PATH:
            return _response(200, [("content-type", "application/json")], self._counts())
        if request.method == "POST" and request.target == REPLAY_PATH:
            self.replaying = True
            return _response(204, [], b"")
        self.counts[self.upstreams[index]] += 1
        if self.replaying:
            found = self.recorded.get((index, request.key))
            if found is not None:
                return found
            return _not_recorded(request)
        response = await self._forward(index, request)
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _DROPPED]
        raw = _response(response.status_code, headers, response.content)
        self.recorded[(index, request.key)] = raw
        return raw

    async def _forward(self, index: int, request: Request) -> httpx.Response:
        if not self.clients:
            self.clients = [
                httpx.AsyncClient(base_url=url, trust_env=False, timeout=30)
                for url in self.upstreams
            ]
        headers = [(k, v) for k, v in request.headers if k.lower() not in _DROPPED | {"host"}]
        return await self.clients[index].request(
            request.method, request.target, headers=headers, content=request.body
        )

    def _counts(self) -> bytes:
        return json.dumps(dict(self.counts)).encode()

    async def close(self) -> None:
        for client in self.clients:
            await client.aclose()


def _response(status: int, headers: list[tuple[str, str]], body: bytes) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
    lines += [f"{k}: {v}" for k, v in headers]
    lines.append(f"content-length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _not_recorded(request: Request) -> bytes:
    problem = {
        "type": "about:blank",
        "title": "Not recorded",
        "status": 404,
        "detail": f"The replay server recorded no answer to {request.method} {request.target}"
        + (" with this body." if request.body else "."),
    }
    return _response(
        404, [("content-type", "application/problem+json")], json.dumps(problem).encode()
    )


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = []
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers.append((name.strip(), value.strip()))
    request = Request(method, target, headers, b"")
    length = int(request.header("content-length") or 0)
    if length:
        request.body = await reader.readexactly(length)
    return request


async def serve(replayer: Replayer) -> list[asyncio.Server]:
    """Listen on a free loopback port for each upstream of `replayer`."""

    def handler(
        index: int,
    ) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                while (request := await _read_request(reader)) is not None:
                    writer.write(await replayer.answer(index, request))
                    await writer.drain()
                    if (request.header("connection") or "").lower() == "close":
                        break
            except (ConnectionError, asyncio.IncompleteReadError, ValueError):
                pass  # the client went away mid-request: nothing to answer
            finally:
                writer.close()

        return handle

    return [
        await asyncio.start_server(handler(index), HOST, 0)
        for index in range(len(replayer.upstreams))
    ]


async def _main(upstreams: list[str]) -> None:
    replayer = Replayer(upstreams)
    servers = await serve(replayer)
    ports = [server.sockets[0].getsockname()[1] for server in servers]
    print(json.dumps({"urls": [f"http://{HOST}:{port}" for port in ports]}), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    for server in servers:
        server.close()
    await replayer.close()


def start(stack: ExitStack, upstreams: list[str]) -> list[str]:
    """A replay server (its own process) in front of `upstreams`, recording; its URLs, one
    per upstream. Stopped when `stack` closes."""
    process = subprocess.Popen(  # noqa: S603 (our own argv)
        [sys.executable, "-m", "devstack.bench.replay_server", *upstreams],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    stack.callback(_stop, process)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        raise RuntimeError("the replay server did not start")
    urls: list[str] = json.loads(line)["urls"]
    return urls


def replay(url: str) -> None:
    """Switch the replay server at `url` (any of its ports) from recording to replaying."""
    httpx.post(url + REPLAY_PATH, trust_env=False).raise_for_status()


def _stop(process: subprocess.Popen[str]) -> None:
    if process.stdin is not None:
        process.stdin.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main() -> None:
    asyncio.run(_main(sys.argv[1:]))


if __name__ == "__main__":
    main()
