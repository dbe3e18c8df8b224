"""Bench section `real_ory_pages`: dashboard-api's admin users page against real Kratos v1.3.1.

Real Hydra and Kratos (`RealOryStack`, SQLite, deploy/ory/*.yml) with 1k identities made through
Kratos's admin batch (`PATCH /admin/identities`, no passwords); every person but the admin has
the role `user` on the dashboard and every third one on a second app (`devstack.bench.scale`).
An admin's access token comes from real Hydra (`scripted.remembered_login`). Each row is
measured with the CPU time (from /proc) that dashboard-api's workers and Kratos spent on it, so
a slow page says whose CPU it is; Kratos's own list is measured beside it.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
from dashboard_api.pagination import decode_cursor
from stackspin_clients import ClientConfig, HydraAdmin, KratosAdmin
from stackspin_clients.models import CreateIdentity, OAuth2Client

from devstack.bench import backends, load, machine, scale, scripted
from devstack.bench.login_steps import workers_cpu_seconds
from devstack.bench.plan import CLIENT_COUNTS, PAGE, Plan
from devstack.bench.real_ory import _dashboard_cli, cpu_seconds
from devstack.bench.rows import Row, Scenario
from devstack.ports import HOST
from devstack.realory.stack import RealOryStack

PEOPLE = 1_000
BATCH = 1_000  # the most identities Kratos v1.3.1 takes in one PATCH /admin/identities
CLIENTS = (1, 8)
DEEP_AT = 0.9  # the deep page starts after the identity at this fraction of the list
REDIRECT_URI = "http://127.0.0.1:9/callback"  # never contacted
KRATOS = "Kratos v1.3.1 (Go, SQLite)"


def warmup(plan: Plan) -> int:
    return 10 if plan.quick else 30


# ---- seeding ---------------------------------------------------------------------------------


def people(count: int, batch: int = BATCH) -> list[list[CreateIdentity]]:
    """`count` password-less identities `person<n>` in batches of at most `batch`."""
    everyone = [
        CreateIdentity(traits={"email": f"person{n:06}@example.org", "name": f"Person {n}"})
        for n in range(count)
    ]
    return [everyone[start : start + batch] for start in range(0, count, batch)]


def seed_people(kratos_admin_url: str, count: int) -> list[str]:
    """`count` identities made in Kratos by its admin batch; their ids, in order."""
    ids: list[str] = []
    with KratosAdmin(ClientConfig(kratos_admin_url, read_timeout=120)) as kratos:
        for batch in people(count):
            for result in kratos.batch_create_identities(batch):
                if not result.identity:
                    raise RuntimeError(f"Kratos refused a seed identity: {result}")
                ids.append(str(result.identity))
    return ids


def deep_cursor(dashboard_url: str, bearer: dict[str, str], pages: int) -> str:
    """dashboard-api's own cursor after `pages` pages of PAGE users (its `next_cursor`)."""
    cursor = ""
    with httpx.Client(base_url=dashboard_url, headers=bearer, trust_env=False) as http:
        for _ in range(pages):
            params: dict[str, str | int] = {"limit": PAGE}
            if cursor:
                params["cursor"] = cursor
            answer = http.get("/api/v1/users", params=params)
            answer.raise_for_status()
            cursor = answer.json()["next_cursor"]
            if not cursor:
                raise RuntimeError(f"the list ended before page {pages + 1}")
    return cursor


# ---- measuring ---------------------------------------------------------------------------------


@dataclass
class CpuRow:
    """A row, the CPU milliseconds per measured request each process spent on it, and the
    requests Kratos served per measured request."""

    row: Row
    cpu_ms: dict[str, float]
    kratos_calls: float


def kratos_requests(log: Path) -> int:
    """Requests Kratos has answered so far: its JSON log (level info) has a line for each."""
    if not log.exists():
        return 0
    return log.read_text(errors="replace").count('"msg":"completed handling request"')


def _send(s: Scenario, count: int) -> load.Result:
    return load.run(
        HOST,
        s.served.port,
        s.path,
        headers=s.headers,
        count=count,
        concurrency=s.clients,
        ok=s.ok,
        warmup=0,
    )


def measure_with_cpu(
    scenarios: list[Scenario],
    readers: dict[str, Callable[[], float]],
    kratos_calls: Callable[[], int],
    warmup: int,
) -> list[CpuRow]:
    """Each scenario after `warmup` unmeasured requests; the CPU seconds each reader's process
    and the calls Kratos served over the measured ones, divided by their count."""
    found = []
    for s in scenarios:
        print(f"  {s.name} ({s.note}, {s.clients} clients): {s.count} ...", end="", flush=True)
        _send(s, warmup)
        before = {name: read() for name, read in readers.items()}
        calls = kratos_calls()
        result = _send(s, s.count)
        cpu = {name: (read() - before[name]) * 1000 / s.count for name, read in readers.items()}
        row = CpuRow(Row(s, result), cpu, (kratos_calls() - calls) / s.count)
        print(f" {result.per_second:.0f}/s, p95 {result.percentile(95):.1f} ms", flush=True)
        found.append(row)
    return found


def pages_table(rows: list[CpuRow]) -> str:
    """The rows with p95 and CPU against their floor (the row named by `floor`, same clients);
    a row's server is the CPU reader named like its `Served`."""
    by_name = {(r.row.scenario.name, r.row.scenario.clients): r for r in rows}
    names = list(rows[0].cpu_ms) if rows else []
    lines = [
        "| endpoint | served by | clients | requests | errors | req/s | p50 ms | p95 ms "
        "| p95 / floor | CPU ms/req: " + " / ".join(names) + " | server CPU / floor CPU "
        "| Kratos calls/req |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for cpu_row in rows:
        s, r = cpu_row.row.scenario, cpu_row.row.result
        floor = by_name.get((s.floor, s.clients)) if s.floor else None
        ratio = cpu_ratio = ""
        if floor is not None:
            ratio = f"{r.percentile(95) / floor.row.result.percentile(95):.1f}"
            floor_cpu = floor.cpu_ms[floor.row.scenario.served.name]
            own = cpu_row.cpu_ms[s.served.name]
            cpu_ratio = f"{own / floor_cpu:.1f}" if floor_cpu > 0 else ""
        name = f"{s.name} ({s.note})" if s.note else s.name
        cpu = " / ".join(f"{cpu_row.cpu_ms[n]:.2f}" for n in names)
        lines.append(
            f"| {name} | {s.served.how} | {s.clients} | {r.requests} | {r.errors} "
            f"| {r.per_second:.0f} | {r.percentile(50):.1f} | {r.percentile(95):.1f} | {ratio} "
            f"| {cpu} | {cpu_ratio} | {cpu_row.kratos_calls:.2f} |"
        )
    return "\n".join(lines)


def render(
    rows: list[CpuRow], seed_seconds: float, load_before: str, seconds: float, warm: int
) -> str:
    return f"""### The users page against real Kratos v1.3.1 at {PEOPLE // 1000}k identities

{pages_table(rows)}

- Real Hydra v2.3.0 and Kratos v1.3.1 (`RealOryStack`: SQLite in WAL mode, deploy/ory/*.yml);
  {PEOPLE} identities made by Kratos's admin batch `PATCH /admin/identities` in
  {seed_seconds:.1f} s, no passwords; each but the admin has the role `user` on the dashboard
  and every third one on a second app. dashboard-api under `dashboard-api/gunicorn.conf.py`
  with a Bearer access token from real Hydra (introspected, then cached by dashboard-api).
- "deep page": the page after {round(PEOPLE * DEEP_AT)} people, dashboard-api's own
  `next_cursor` followed from the first page; Kratos's rows ask it for the same pages with the
  `page_token` that cursor carries. Floor: the bare FastAPI endpoint (same gunicorn config)
  answering the same {PAGE} users, measured in this run with as many clients.
- CPU ms/req: utime + stime from /proc over the row's measured requests (after {warm}
  unmeasured ones; workers recycled by gunicorn included), divided by their count; "server
  CPU / floor CPU" divides the answering process's by the floor's. Kratos calls/req: the
  requests Kratos's log (JSON, level info) says it answered, per measured request. The load
  generator shares the {os.cpu_count()} CPUs and is not counted. 1-minute load average
  {load_before} at the start; the section took {seconds:.0f} s.
"""


# ---- the run -----------------------------------------------------------------------------------


def _dashboard_client(hydra_admin_url: str) -> OAuth2Client:
    with HydraAdmin(ClientConfig(hydra_admin_url)) as hydra:
        client = hydra.create_oauth2_client(
            OAuth2Client(
                client_name="dashboard",
                redirect_uris=[REDIRECT_URI],
                grant_types=["authorization_code", "refresh_token"],
                response_types=["code"],
                scope="openid offline_access email profile",
            )
        )
    assert client.client_id
    assert client.client_secret
    return client


def _scenarios(
    plan: Plan,
    *,
    dashboard: backends.Served,
    floor: backends.Served,
    kratos: backends.Served,
    bearer: dict[str, str],
    deep: str,
) -> list[Scenario]:
    """Floor, first and deep page at each of CLIENTS; then Kratos's own two pages, one client."""
    users = f"/api/v1/users?limit={PAGE}"
    floor_name = "FastAPI floor `GET /users`"
    found = []
    for clients in CLIENTS:
        count = plan.count(CLIENT_COUNTS[clients])
        found.append(
            Scenario(
                floor_name,
                floor,
                "/users",
                count,
                {200},
                note=f"the same {PAGE} users",
                clients=clients,
            )
        )
        for note, path in (("first page", users), ("deep page", f"{users}&cursor={deep}")):
            found.append(
                Scenario(
                    f"dashboard-api `GET {users}`",
                    dashboard,
                    path,
                    count,
                    {200},
                    headers=bearer,
                    note=note,
                    clients=clients,
                    floor=floor_name,
                )
            )
    listing = f"/admin/identities?page_size={PAGE}"
    token = urlencode({"page_token": str(decode_cursor(deep)["k"])})
    for note, path in (("first page", listing), ("deep page", f"{listing}&{token}")):
        found.append(
            Scenario(
                f"Kratos `GET {listing}`",
                kratos,
                path,
                plan.count(CLIENT_COUNTS[1]),
                {200},
                note=note,
                clients=1,
            )
        )
    return found


def _readers(
    dashboard: backends.Served, floor: backends.Served, kratos_pid: int
) -> dict[str, Callable[[], float]]:
    """CPU-seconds readers named like the `Served` each one is the CPU of."""
    assert dashboard.process is not None
    assert floor.process is not None
    dashboard_pid, floor_pid = dashboard.process.pid, floor.process.pid
    return {
        dashboard.name: lambda: workers_cpu_seconds(dashboard_pid),
        "Kratos": lambda: cpu_seconds(kratos_pid),
        floor.name: lambda: workers_cpu_seconds(floor_pid),
    }


def run(plan: Plan) -> str:
    began = time.perf_counter()
    load_before = machine.load_average()
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-real-pages-")))
        ory = RealOryStack()
        ory.ui_url = (
            "http://127.0.0.1:9"  # Hydra's login page: never visited, the token is scripted
        )
        ory.start()
        stack.callback(ory.stop)
        floor_page = tmp / "floor-page.json"
        floor = backends.gunicorn(
            stack,
            "floor",
            "devstack.bench.floors:fastapi_app",
            asgi=True,
            env={"BENCH_FLOOR_PAGE": str(floor_page)},
            log_dir=tmp,
        )
        client = _dashboard_client(ory.hydra_admin_url)
        assert client.client_id
        assert client.client_secret
        urls = backends.OryUrls(
            ory.hydra_public_url, ory.hydra_admin_url, ory.kratos_public_url, ory.kratos_admin_url
        )
        database_url = f"sqlite:///{tmp / 'dashboard.sqlite3'}"
        dashboard_env = backends.dashboard_env(
            urls,
            database_url=database_url,
            internal_token=secrets.token_urlsafe(24),
            client_id=client.client_id,
            client_secret=client.client_secret,
        )
        # Its workers import while Kratos makes the people and the CLI migrates.
        dashboard = backends.gunicorn(
            stack,
            "dashboard-api",
            "dashboard_api.main:app",
            asgi=True,
            env=dashboard_env,
            log_dir=tmp,
        )
        seeding = time.perf_counter()
        ids = seed_people(ory.kratos_admin_url, PEOPLE)
        seed_seconds = time.perf_counter() - seeding
        _dashboard_cli(
            dashboard_env,
            [
                ["migrate"],
                ["seed", "--admin-subject", ids[0], "--dashboard-client-id", client.client_id],
            ],
        )
        scale.seed_roles(database_url, ids[1:], first=1)
        _, access_token = scripted.remembered_login(
            urls,
            client_id=client.client_id,
            client_secret=client.client_secret,
            redirect_uri=REDIRECT_URI,
            subject=ids[0],
        )
        bearer = {"Authorization": f"Bearer {access_token}"}
        for served in (dashboard, floor):
            served.wait()
        print(f"  stack up, {PEOPLE} people ({time.perf_counter() - began:.0f} s)", flush=True)
        first = httpx.get(
            f"{dashboard.url}/api/v1/users?limit={PAGE}", headers=bearer, trust_env=False
        )
        first.raise_for_status()
        floor_page.write_bytes(first.content)
        deep = deep_cursor(dashboard.url, bearer, round(PEOPLE * DEEP_AT) // PAGE)
        kratos_pid = ory.pids["kratos"]
        assert kratos_pid is not None
        kratos = backends.Served(
            "Kratos", int(ory.kratos_admin_url.rsplit(":", 1)[1]), KRATOS, health="/health/ready"
        )
        scenarios = _scenarios(
            plan, dashboard=dashboard, floor=floor, kratos=kratos, bearer=bearer, deep=deep
        )
        log = ory.logs["kratos"]
        rows = measure_with_cpu(
            scenarios,
            _readers(dashboard, floor, kratos_pid),
            lambda: kratos_requests(log),
            warmup(plan),
        )
    seconds = time.perf_counter() - began
    return render(rows, seed_seconds, load_before, seconds, warmup(plan))
