"""Section `memory`: the RSS of each dashboard-api worker (gunicorn, production settings) before
its first request, after a warm-up and after many requests of a realistic mix, beside the bare
FastAPI floor's workers in the same run."""

from __future__ import annotations

import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from devstack.bench import backends, dashboard_served, image_env, load, machine, rss
from devstack.bench.plan import Plan
from devstack.ports import HOST

WARMUP_ROUNDS = 3
# One round of the mix: (share of a round's requests, path key); the users page is the rarest.
ROUND = 100
MIX = (("users", 20), ("consent", 40), ("apps", 40))
CLIENTS = 8
SAMPLES = 5
IMAGE = "dashboard-api (image environment)"
WORKSPACE = "dashboard-api (workspace .venv)"


@dataclass
class Workers:
    """RSS readings (MiB) of one gunicorn master's workers, by pid, at named moments."""

    served: backends.Served
    readings: list[tuple[str, dict[int, float]]] = field(default_factory=list)

    def read(self, moment: str) -> None:
        assert self.served.process is not None
        self.readings.append((moment, rss.workers_mib(self.served.process.pid)))

    def settled(self, timeout: float = 15) -> None:
        """Wait until every worker has booted (3 of them, RSS unchanged for a second)."""
        assert self.served.process is not None
        deadline = time.monotonic() + timeout
        last: dict[int, float] = {}
        while time.monotonic() < deadline:
            now = rss.workers_mib(self.served.process.pid)
            if len(now) >= 3 and now == last:
                return
            last = now
            time.sleep(1)


def _run(served: backends.Served, path: str, headers: dict[str, str], count: int) -> int:
    result = load.run(
        HOST,
        served.port,
        path,
        headers=headers,
        count=count,
        concurrency=CLIENTS,
        ok={200},
        warmup=0,
    )
    return result.errors


@dataclass
class Measured:
    """One dashboard-api under the mix: its workers' readings, and the requests that failed."""

    name: str
    served: dashboard_served.DashboardServed
    workers: Workers
    errors: int = 0

    def mix(self, rounds: int) -> None:
        paths = {
            "users": ("/api/v1/users?limit=50", self.served.bearer),
            "consent": (
                f"/internal/v1/consent-decision?subject={self.served.admin_id}"
                f"&client_id={self.served.client_id}",
                self.served.internal,
            ),
            "apps": ("/api/v1/me/apps", self.served.bearer),
        }
        for _ in range(rounds):
            for key, share in MIX:
                path, headers = paths[key]
                self.errors += _run(self.served.dashboard, path, headers, share * ROUND // 100)


def run(plan: Plan) -> str:
    load_before = machine.load_average()
    total = 2_000 if plan.quick else 10_000
    rounds = total // ROUND
    with tempfile.TemporaryDirectory(prefix="devstack-bench-memory-") as tmp, ExitStack() as stack:
        tmp_path = Path(tmp)
        floor_page = tmp_path / "floor-page.json"
        floor = backends.gunicorn(
            stack,
            "fastapi-floor",
            "devstack.bench.floors:fastapi_app",
            asgi=True,
            env={"BENCH_FLOOR_PAGE": str(floor_page)},
            log_dir=tmp_path,
        )
        image_python = image_env.build(tmp_path / "image-venv")
        measured = [
            Measured(name, served, Workers(served.dashboard))
            for name, served in (
                (
                    IMAGE,
                    dashboard_served.start(
                        stack,
                        tmp_path,
                        f"sqlite:///{tmp_path / 'image.sqlite3'}",
                        name="dashboard-api-image",
                        python=image_python,
                    ),
                ),
                (
                    WORKSPACE,
                    dashboard_served.start(
                        stack, tmp_path, f"sqlite:///{tmp_path / 'workspace.sqlite3'}"
                    ),
                ),
            )
        ]
        floor.wait()
        for one in measured:
            one.served.dashboard.wait()  # one /healthz, on one worker
        bare = Workers(floor)
        for workers in (*(m.workers for m in measured), bare):
            workers.settled()
            workers.read("before the first request")
        first = measured[0].served
        page = httpx.get(
            first.dashboard.url + "/api/v1/users?limit=50", headers=first.bearer, trust_env=False
        )
        page.raise_for_status()
        floor_page.write_bytes(page.content)

        for one in measured:
            one.mix(WARMUP_ROUNDS)
            one.workers.read("after warm-up")
        _run(floor, "/users", {}, WARMUP_ROUNDS * ROUND)
        bare.read("after warm-up")
        began = time.perf_counter()
        for sample in range(SAMPLES):
            for one in measured:
                one.mix(rounds // SAMPLES)
                one.workers.read(f"after {(sample + 1) * total // SAMPLES} requests")
        seconds = time.perf_counter() - began
        _run(floor, "/users", {}, total)
        bare.read(f"after {total} requests")
    return _report(measured, bare, total, seconds, load_before)


def _report(measured: list[Measured], bare: Workers, total: int, seconds: float, load: str) -> str:
    dash = measured[0].workers
    errors = sum(m.errors for m in measured)
    lines = [
        "### Worker memory (RSS) over requests",
        "",
        "| server | worker pid | before first request MB | after warm-up MB | "
        + " | ".join(f"after {m.split()[1]} MB" for m, _ in dash.readings[2:])
        + " | growth after warm-up MB |",
        "| --- | ---: | ---: | ---: | "
        + " | ".join("---:" for _ in dash.readings[2:])
        + " | ---: |",
    ]
    recycled: list[int] = []
    for name, workers in (*((m.name, m.workers) for m in measured), ("FastAPI floor", bare)):
        first = workers.readings[0][1]
        for pid in sorted(first):
            cells = []
            for _moment, reading in workers.readings:
                if pid not in reading:
                    recycled.append(pid)
                cells.append(f"{reading[pid]:.1f}" if pid in reading else "recycled")
            if name == "FastAPI floor":  # read before, after warm-up and after all, only
                cells = cells[:2] + [""] * (len(dash.readings) - 3) + cells[2:]
            warm, last = workers.readings[1][1].get(pid), workers.readings[-1][1].get(pid)
            growth = f"{last - warm:+.1f}" if warm is not None and last is not None else ""
            lines.append(f"| {name} | {pid} | " + " | ".join(cells) + f" | {growth} |")
    per = ", ".join(f"{key} {share} %" for key, share in MIX)
    lines += [
        "",
        f"VmRSS from /proc/<pid>/status of each gunicorn worker (`dashboard-api/gunicorn.conf.py`, "
        f"3 uvicorn workers), by pid. {total} requests of a mix ({per}: users page of 50 as the "
        f"admin, consent decision, `/me/apps`) over {CLIENTS} connections to each dashboard-api "
        f"({seconds:.0f} s for both), {errors} errors; the floor answered as many `GET /users` "
        "(the same page). 'Before the first request': after the workers booted (one `/healthz` "
        "on one of them).",
        f"{IMAGE}: the Python environment dashboard-api's image installs (`uv sync --frozen "
        "--no-dev --package dashboard-api --no-editable`, built for this run by "
        "`devstack.bench.image_env`), i.e. what production runs; "
        f"{WORKSPACE}: the development `.venv`, which also holds rich and pygments (httpx and "
        "structlog import them when present). Both on SQLite files of their own, taking turns.",
        "Recycling: production's `max_requests` (5000 + jitter up to 500 per worker) stays on; "
        "a worker gone from a reading is marked `recycled` instead of being replaced by its "
        "successor, so a recycle cannot hide growth"
        + (
            f" (recycled here: {', '.join(map(str, sorted(set(recycled))))})."
            if recycled
            else " (none was recycled in this run)."
        ),
        f"Load average {load} when the section began.",
    ]
    return "\n".join(lines)
