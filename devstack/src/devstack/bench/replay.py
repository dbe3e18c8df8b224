"""Bench section `replay`: the users page and its search at scale with Hydra and Kratos replayed
from recorded answers (`replay_server`), so the rows measure dashboard-api's own cost."""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

import httpx
from dashboard_api.pagination import encode_cursor

from devstack.bench import backends, dashboard_served, machine, replay_server, scale, scripted
from devstack.bench.__main__ import REDIRECT_URI, dashboard_cli, seed
from devstack.bench.login_steps import measure_with_cpu
from devstack.bench.plan import CLIENT_COUNTS, PAGE, Plan
from devstack.bench.rows import Counts, Row, Scenario, table
from devstack.kratos import paging
from devstack.kratos.config import KratosConfig
from devstack.ports import HOST

CLIENTS = (1, 16)
MARIADB_ENV = "BENCH_MARIADB_URL"  # e.g. mysql://user:password@127.0.0.1:3306: MariaDB rows too


def run(plan: Plan) -> str:
    size = plan.sizes[-1]
    load_before = machine.load_average()
    began = time.perf_counter()
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-replay-")))
        kratos_database = tmp / "kratos.sqlite3"
        ory = backends.ory_stand_ins(stack, f"http://{HOST}:9", kratos_database)
        admin_id, client = seed(ory)
        assert client.client_id
        assert client.client_secret
        replayed = replay_server.start(
            stack,
            [
                ory.kratos_admin_url,
                ory.hydra_admin_url,
                ory.kratos_public_url,
                ory.hydra_public_url,
            ],
        )
        through = backends.OryUrls(
            kratos_admin_url=replayed[0],
            hydra_admin_url=replayed[1],
            kratos_public_url=replayed[2],
            hydra_public_url=replayed[3],
        )
        internal_token = secrets.token_urlsafe(24)
        databases = [("SQLite", f"sqlite:///{tmp / 'dashboard.sqlite3'}")]
        if mariadb := os.environ.get(MARIADB_ENV):
            databases.append(
                ("MariaDB", stack.enter_context(dashboard_served.mariadb_database(mariadb)))
            )
        dashboards: list[tuple[str, backends.Served]] = []
        for backend, database in databases:
            env = backends.dashboard_env(
                through,
                database_url=database,
                internal_token=internal_token,
                client_id=client.client_id,
                client_secret=client.client_secret,
            )
            dashboard_cli(env, "migrate")
            dashboard_cli(
                env, "seed", "--admin-subject", admin_id, "--dashboard-client-id", client.client_id
            )
            name = f"dashboard-api-{backend.lower()}"
            dashboards.append(
                (
                    backend,
                    backends.gunicorn(
                        stack, name, "dashboard_api.main:app", asgi=True, env=env, log_dir=tmp
                    ),
                )
            )
        floor_page = tmp / "floor-page.json"
        floor = backends.gunicorn(
            stack,
            "fastapi-floor",
            "devstack.bench.floors:fastapi_app",
            asgi=True,
            env={"BENCH_FLOOR_PAGE": str(floor_page)},
            log_dir=tmp,
        )
        kratos_floor = backends.gunicorn(
            stack,
            "fastapi-kratos-floor",
            "devstack.bench.kratos_floor:app",
            asgi=True,
            env={
                "BENCH_KRATOS_ADMIN_URL": through.kratos_admin_url,
                "BENCH_FLOOR_DATABASE_URL": databases[0][1],
                "BENCH_FLOOR_CLIENT_ID": client.client_id,
                "BENCH_FLOOR_SUBJECT": admin_id,
            },
            log_dir=tmp,
        )
        config = KratosConfig(database=str(kratos_database))
        made = scale.seed_identities(kratos_database, config, first=0, count=size)
        for _, database in databases:
            scale.seed_roles(database, made, first=0)
            scale.seed_search(database, made, first=0)
        deep_token = paging.keyset_token(scale.id_at(kratos_database, size * 9 // 10))
        _, access_token = scripted.remembered_login(
            ory,
            client_id=client.client_id,
            client_secret=client.client_secret,
            redirect_uri=REDIRECT_URI,
            subject=admin_id,
        )
        bearer = {"Authorization": f"Bearer {access_token}"}
        floor.wait()
        kratos_floor.wait()
        for _ in range(3):  # recorded too (the same call as the first page's)
            httpx.get(kratos_floor.url + "/users", trust_env=False).raise_for_status()
            httpx.get(kratos_floor.url + "/users-with-roles", trust_env=False).raise_for_status()
        users = f"/api/v1/users?limit={PAGE}"
        pages = {
            "first page": users,
            "deep page": f"{users}&cursor={encode_cursor({'k': deep_token})}",
        }
        searches = {needle: f"{users}&{urlencode({'q': needle})}" for needle in _needles(size)}
        found: dict[str, int] = {}
        for _, dashboard in dashboards:
            dashboard.wait()
            # Recorded: every upstream call these pages make.
            answers = {}
            for path in [*pages.values(), *searches.values()]:
                for _ in range(3):
                    answer = httpx.get(dashboard.url + path, headers=bearer, trust_env=False)
                    answer.raise_for_status()
                answers[path] = answer
            for needle, path in searches.items():
                count = len(answers[path].json()["items"])
                if found.setdefault(needle, count) != count or count == 0:
                    raise RuntimeError(f"search {needle!r} found {count}, expected {found[needle]}")
        for needle, path in searches.items():
            pages[f"search `{needle}`: {found[needle]} found"] = path
        first = dashboards[0][1]
        floor_page.write_bytes(
            httpx.get(first.url + users, headers=bearer, trust_env=False).content
        )
        replay_server.replay(through.kratos_admin_url)
        label = f"{size // 1000}k"
        rows: list[tuple[Row, float]] = []
        for clients in CLIENTS:
            count = plan.count(CLIENT_COUNTS[clients])
            floor_name = f"FastAPI floor `GET /users` x{clients}"
            floor_row = Scenario(
                floor_name,
                floor,
                "/users",
                count,
                {200},
                note=f"the same {PAGE} users",
                clients=clients,
            )
            rows.append(measure_with_cpu(floor_row, Counts(through, None)))
            kratos_row = Scenario(
                f"FastAPI + the one Kratos list call `GET /users` x{clients}",
                kratos_floor,
                "/users",
                count,
                {200},
                note=f"{PAGE} identities, lower bound",
                clients=clients,
                floor=floor_name,
            )
            rows.append(measure_with_cpu(kratos_row, Counts(through, None)))
            required = Scenario(
                f"FastAPI + the Kratos call + the admin check and the roles x{clients}",
                kratos_floor,
                "/users-with-roles",
                count,
                {200},
                note="one transaction, lower bound of a users page of ours",
                clients=clients,
                floor=floor_name,
            )
            rows.append(measure_with_cpu(required, Counts(through, None)))
            for backend, dashboard in dashboards:
                on = "" if backend == "SQLite" else f", {backend}"
                for note, path in pages.items():
                    scenario = Scenario(
                        f"dashboard-api `GET {users}` at {label}, Ory replayed{on}",
                        dashboard,
                        path,
                        count,
                        {200},
                        headers=bearer,
                        note=note,
                        clients=clients,
                        floor=floor_name,
                    )
                    rows.append(measure_with_cpu(scenario, Counts(through, dashboard)))
    seconds = time.perf_counter() - began
    return _report(rows, size, load_before, seconds, plan)


def _needles(size: int) -> list[str]:
    """Searches of the seeded people (`scale.traits_of`): one email, a name word with a few
    people, and one that every seeded name starts with (a full page)."""
    n = size * 2 // 3
    return [f"person{n:06}@example.org", str(n // 10), "person"]


def _report(
    rows: list[tuple[Row, float]], size: int, load_before: str, seconds: float, plan: Plan
) -> str:
    floor_cpu = {row.scenario.name: cpu for row, cpu in rows if row.scenario.floor is None}
    lines = table([row for row, _ in rows]).splitlines()
    lines[0] += " own CPU ms/req | CPU / floor |"
    lines[1] += " ---: | ---: |"
    for index, (row, cpu) in enumerate(rows, start=2):
        floor = floor_cpu.get(row.scenario.floor or "")
        ratio = f"{cpu / floor:.1f}" if floor else ""
        lines[index] += f" {cpu:.2f} | {ratio} |"
    command = "python -m devstack.bench --only replay" + (" --quick" if plan.quick else "")
    return f"""### Users page and search at {size // 1000}k identities, Ory replayed

{chr(10).join(lines)}

`{command}`, {seconds:.0f} s, 1-minute load average {load_before} at the start. Kratos and
Hydra (admin and public) are a replay server (`devstack.bench.replay_server`: one asyncio
process answering bytes recorded from the stand-ins, keyed by method, path with query and body)
after {size} identities were seeded with `devstack.bench.scale`; dashboard-api and the FastAPI
floor run under gunicorn with `dashboard-api/gunicorn.conf.py`. Rows marked MariaDB are a
second dashboard-api on a MariaDB database (`BENCH_MARIADB_URL`), the same roles seeded.
The search rows are the same endpoint with `q`: dashboard-api's search projection (seeded
with `scale.seed_search`, the entries its own writes make) gives a page of people, then one
Kratos call reads them by id.
"FastAPI + the one Kratos list call" (`devstack.bench.kratos_floor`) sends the first page's
Kratos call through `stackspin_clients`' sync client from a sync endpoint, as dashboard-api
does, reads it as the users page does (`list_identity_summaries`) and answers those, nothing
else: the lower bound of any users page whose people live in Kratos. "FastAPI + the Kratos call
+ the admin check and the roles" adds, in one read-only transaction on the SQLite database,
the two statements any users page of ours must send (is the caller an admin on a dashboard
client; the page's roles): the lower bound of this design's page, without its middleware,
dependencies or serialisation of roles.
"Ory calls/req" counts the replay server's requests. "own CPU ms/req" is the utime + stime
of the gunicorn workers (`/proc/<pid>/stat`) over the row, warm-up included, divided by its
requests.
"""
