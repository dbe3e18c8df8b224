"""Section `batch`: a batch import of 1000 people against 1000 single creates, on SQLite and
(when BENCH_MARIADB_URL is set) MariaDB, with the SQL statements one batch sends."""

from __future__ import annotations

import os
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx

from devstack.bench import backends, dashboard_served, machine
from devstack.bench.plan import Plan
from devstack.bench.rows import Counts

SIZES = (100, 1000)
SINGLES = 1000


@dataclass
class Measured:
    database: str
    # people -> (seconds, statements, Ory calls) of one batch
    batches: dict[int, tuple[float, float, float]]
    singles: int
    single_seconds: float
    single_statements: float


def _people(prefix: str, count: int) -> list[dict[str, object]]:
    return [
        {
            "email": f"{prefix}{n:05}@example.org",
            "name": f"Imported {prefix} {n}",
            "roles": [{"app": "dashboard", "role": "user"}],
        }
        for n in range(count)
    ]


def _measure(database: str, url: str, plan: Plan, tmp: Path) -> Measured:
    with ExitStack() as stack:
        served = dashboard_served.start(stack, tmp, url, name=f"dashboard-api-{database}")
        served.dashboard.wait()
        counts = Counts(served.ory, served.dashboard)
        api = stack.enter_context(
            httpx.Client(
                base_url=served.dashboard.url, headers=served.bearer, timeout=120, trust_env=False
            )
        )
        # warm-up: one small batch and a few singles (imports, connections, caches)
        api.post("/api/v1/users/batch", json={"users": _people("warm", 5)}).raise_for_status()
        for person in _people("warmone", 5):
            api.post("/api/v1/users", json=person).raise_for_status()
        batches: dict[int, tuple[float, float, float]] = {}
        for size in SIZES:
            before = counts.now()
            began = time.perf_counter()
            answer = api.post("/api/v1/users/batch", json={"users": _people(f"b{size}x", size)})
            seconds = time.perf_counter() - began
            answer.raise_for_status()
            if answer.json()["created"] != size:
                raise RuntimeError(f"batch of {size}: {answer.json()['created']} created")
            after = counts.now()
            batches[size] = (seconds, after[1] - before[1], after[0] - before[0])
        singles = SINGLES if not plan.quick else SINGLES // 5
        before = counts.now()
        began = time.perf_counter()
        for person in _people("one", singles):
            api.post("/api/v1/users", json=person).raise_for_status()
        single_seconds = time.perf_counter() - began
        after = counts.now()
        return Measured(database, batches, singles, single_seconds, after[1] - before[1])


def run(plan: Plan) -> str:
    load = machine.load_average()
    measured: list[Measured] = []
    with tempfile.TemporaryDirectory(prefix="devstack-bench-batch-") as tmp:
        measured.append(_measure("SQLite", f"sqlite:///{tmp}/batch.sqlite3", plan, Path(tmp)))
        mariadb = os.environ.get("BENCH_MARIADB_URL")
        if mariadb:
            with dashboard_served.mariadb_database(mariadb) as url:
                measured.append(_measure("MariaDB", url, plan, Path(tmp)))
    lines = [
        "### Batch import against single creates",
        "",
        "| database | what | people | seconds | per person ms | DB statements | Ory calls "
        "| single creates / batch |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in measured:
        per_single = m.single_seconds / m.singles
        lines.append(
            f"| {m.database} | single creates (floor), one client | {m.singles} "
            f"| {m.single_seconds:.1f} | {per_single * 1000:.1f} "
            f"| {m.single_statements:.0f} ({m.single_statements / m.singles:.1f} each) |  |  |"
        )
        for size, (seconds, statements, calls) in m.batches.items():
            lines.append(
                f"| {m.database} | `POST /api/v1/users/batch` | {size} | {seconds:.2f} "
                f"| {seconds / size * 1000:.2f} | {statements:.0f} | {calls:.0f} "
                f"| {per_single * size / seconds:.1f}x |"
            )
    how = backends.gunicorn_config("dashboard_api")
    lines += [
        "",
        f"dashboard-api under gunicorn (`{how.name if how else 'fallback args'}`, 3 uvicorn "
        "workers) on each database, the Ory stand-ins behind it; one client. Each person has "
        "an email, a name and the role `user` on the dashboard, no invitation. The floor is the "
        "same people made one `POST /api/v1/users` at a time; the last column is their time "
        "per person times the batch's people, divided by the batch's time. DB statements: "
        "`dashboard_api_db_statements_total` before and after (all workers). "
        f"Load average {load} when the section began.",
    ]
    if plan.quick:
        lines.append(f"`--quick`: {SINGLES // 5} single creates stand for {SINGLES}.")
    if not os.environ.get("BENCH_MARIADB_URL"):
        lines.append("MariaDB skipped: BENCH_MARIADB_URL is not set.")
    return "\n".join(lines)
