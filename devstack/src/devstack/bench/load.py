"""A small HTTP/1.1 load generator: a fixed number of GETs over keep-alive connections.

Raw asyncio streams instead of an HTTP client library, so the generator costs far less CPU than
the servers it measures (they share the machine).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, one per successful request
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Latency in milliseconds at percentile `p` (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered)) - 1))
        return ordered[rank] * 1000


class _Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> int:
        """Send one request, read the whole response; the status code."""
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(raw)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _raw_request(host: str, port: int, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: keep-alive"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _run(
    host: str,
    port: int,
    path: str,
    headers: dict[str, str],
    count: int,
    concurrency: int,
    ok: set[int],
) -> Result:
    raw = _raw_request(host, port, path, headers)
    remaining = count
    result = Result(requests=count, seconds=0.0)

    async def worker() -> None:
        nonlocal remaining
        connection = _Connection(host, port)
        try:
            while remaining > 0:
                remaining -= 1
                began = time.perf_counter()
                try:
                    status = await connection.request(raw)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    # A recycled worker closed the keep-alive connection: count it, reconnect.
                    result.errors += 1
                    connection.close()
                    continue
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status in ok:
                    result.latencies.append(time.perf_counter() - began)
                else:
                    result.errors += 1
        finally:
            connection.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.seconds = time.perf_counter() - began
    return result


def run(
    url_host: str,
    port: int,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    count: int,
    concurrency: int,
    ok: set[int],
    warmup: int = 50,
) -> Result:
    """`warmup` unmeasured requests, then `count` measured ones over `concurrency` connections."""
    if warmup:
        asyncio.run(_run(url_host, port, path, headers or {}, warmup, concurrency, ok))
    return asyncio.run(_run(url_host, port, path, headers or {}, count, concurrency, ok))
