"""The bench's real_ory_pages section: password-less people in Kratos-sized batches, Kratos's
requests read from its log, rows measured with CPU over real HTTP, the table against its floor,
and (with real Ory) a quick run that pages through 1k identities."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from devstack.bench import load, real_ory_pages
from devstack.bench.backends import Served
from devstack.bench.plan import Plan
from devstack.bench.rows import Row, Scenario


def test_people_come_in_batches_kratos_accepts_without_passwords() -> None:
    batches = real_ory_pages.people(2_500)

    assert [len(batch) for batch in batches] == [1_000, 1_000, 500]
    everyone = [person for batch in batches for person in batch]
    assert len({person.traits["email"] for person in everyone}) == 2_500
    assert all(person.credentials is None for person in everyone)


def test_kratos_requests_are_the_completed_lines_of_its_log(tmp_path: Path) -> None:
    log = tmp_path / "kratos.log"
    assert real_ory_pages.kratos_requests(log) == 0
    log.write_text(
        '{"level":"info","msg":"started handling request","time":"t"}\n'
        '{"level":"info","msg":"completed handling request","time":"t"}\n'
        '{"level":"info","msg":"completed handling request","time":"t"}\n'
        '{"level":"error","msg":"database is locked","time":"t"}\n'
    )
    assert real_ory_pages.kratos_requests(log) == 2


class _Busy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        deadline = time.process_time() + 0.002  # CPU the test can see, 2 ms a request
        while time.process_time() < deadline:
            pass
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def busy_server() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Busy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_cpu_and_kratos_calls_are_of_the_measured_requests_only(busy_server: int) -> None:
    served = Served("self", busy_server, "stdlib http.server")
    scenario = Scenario("busy", served, "/", 40, {200}, note="x", clients=2)
    calls = iter(range(0, 1000, 10))  # ten "Kratos calls" between each pair of reads

    (row,) = real_ory_pages.measure_with_cpu(
        [scenario], {"self": time.process_time}, lambda: next(calls), warmup=5
    )

    assert row.row.result.requests == 40
    assert row.row.result.errors == 0
    assert row.kratos_calls == pytest.approx(10 / 40)
    # 2 ms of handler CPU per request, plus the load generator's own in this process.
    assert row.cpu_ms["self"] >= 2


def _row(
    name: str, served: str, p95_ms: float, cpu: dict[str, float], floor: str | None = None
) -> real_ory_pages.CpuRow:
    scenario = Scenario(name, Served(served, 1, served), "/", 10, {200}, clients=1, floor=floor)
    result = load.Result(requests=10, seconds=1.0, latencies=[p95_ms / 1000] * 10)
    return real_ory_pages.CpuRow(Row(scenario, result), cpu, 1.0)


def test_the_table_reads_latency_and_the_answering_servers_cpu_against_the_floor() -> None:
    floor = _row("floor", "floor", 2.0, {"dashboard-api": 0.1, "floor": 0.5})
    page = _row("page", "dashboard-api", 20.0, {"dashboard-api": 6.0, "floor": 0.0}, floor="floor")

    table = real_ory_pages.pages_table([floor, page])

    lines = table.splitlines()
    assert "CPU ms/req: dashboard-api / floor" in lines[0]
    assert lines[3].endswith("| 10.0 | 6.00 / 0.00 | 12.0 | 1.00 |"), lines[3]


@pytest.mark.requires("ory")
@pytest.mark.timeout(120)
def test_quick_run_pages_the_users_of_real_kratos_against_the_floor() -> None:
    text = real_ory_pages.run(Plan(quick=True))

    rows = re.findall(r"^\| dashboard-api .*\| (\d+) \| (\d+) \| (\d+) \| \d+ \|", text, re.M)
    assert len(rows) == 4, text
    assert all(errors == "0" for _, _, errors in rows), text
    assert "| Kratos `GET /admin/identities?page_size=100` (deep page)" in text
