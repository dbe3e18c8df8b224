"""A bench row: what is measured (`Scenario`), what came out (`Row`), the table they make."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from devstack.bench import backends, load
from devstack.ports import HOST

CONCURRENCY = 16
WARMUP = 50


@dataclass
class Scenario:
    name: str
    served: backends.Served
    path: str
    count: int
    ok: set[int]
    headers: dict[str, str] | None = None
    note: str = ""
    clients: int = CONCURRENCY
    # Name of the floor row (same clients) this one is read against.
    floor: str | None = None


@dataclass
class Row:
    scenario: Scenario
    result: load.Result
    # Per request, averaged over the row's requests: stand-in calls, dashboard-api statements.
    ory_calls: float | None = None
    statements: float | None = None


class Counts:
    """What the measured requests cost elsewhere: the calls every Ory stand-in served
    (`ory_process`) and the SQL statements dashboard-api sent (its /metrics)."""

    def __init__(self, ory: backends.OryUrls, dashboard: backends.Served | None) -> None:
        self.ory_url = ory.kratos_admin_url
        self.dashboard = dashboard

    def now(self) -> tuple[int, float]:
        calls = sum(backends.ory_requests(self.ory_url).values())
        statements = 0.0
        if self.dashboard is not None:
            text = httpx.get(self.dashboard.url + "/metrics", trust_env=False).text
            for line in text.splitlines():
                if line.startswith("dashboard_api_db_statements_total "):
                    statements += float(line.split()[1])
        return calls, statements


def measure(scenarios: list[Scenario], counts: Counts | None = None) -> list[Row]:
    rows = []
    for scenario in scenarios:
        print(
            f"  {scenario.name} ({scenario.clients} clients): {scenario.count} requests ...",
            end="",
            flush=True,
        )
        before = counts.now() if counts else None
        result = load.run(
            HOST,
            scenario.served.port,
            scenario.path,
            headers=scenario.headers,
            count=scenario.count,
            concurrency=scenario.clients,
            ok=scenario.ok,
            warmup=WARMUP,
        )
        row = Row(scenario, result)
        if counts and before:
            after = counts.now()
            sent = scenario.count + WARMUP
            row.ory_calls = (after[0] - before[0]) / sent
            row.statements = (after[1] - before[1]) / sent
        print(f" {result.per_second:.0f}/s, p95 {result.percentile(95):.1f} ms")
        rows.append(row)
    return rows


def _per_request(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def table(rows: list[Row]) -> str:
    floors = {row.scenario.name: row for row in rows}
    lines = [
        "| endpoint | served by | clients | requests | errors | req/s | p50 ms | p95 ms "
        "| p95 / floor | Ory calls/req | DB statements/req |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        s, r = row.scenario, row.result
        name = f"{s.name} ({s.note})" if s.note else s.name
        floor = floors.get(s.floor) if s.floor else None
        ratio = f"{r.percentile(95) / floor.result.percentile(95):.1f}" if floor else ""
        lines.append(
            f"| {name} | {s.served.how} | {s.clients} | {r.requests} | {r.errors} "
            f"| {r.per_second:.0f} | {r.percentile(50):.1f} | {r.percentile(95):.1f} | {ratio} "
            f"| {_per_request(row.ory_calls)} | {_per_request(row.statements)} |"
        )
    return "\n".join(lines)
