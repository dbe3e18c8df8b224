"""`python -m devstack.bench`: set everything up on loopback, measure, print, write the report."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import secrets
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import httpx
from dashboard_api.pagination import encode_cursor
from stackspin_clients import ClientConfig, HydraAdmin, KratosAdmin
from stackspin_clients.models import CreateIdentity, OAuth2Client

from devstack.bench import backends, machine, scale, scripted, startup
from devstack.bench.plan import CLIENT_COUNTS, CLIENTS, PAGE, Plan
from devstack.bench.rows import WARMUP, Counts, Row, Scenario, measure, table
from devstack.kratos import paging
from devstack.kratos.config import KratosConfig
from devstack.ports import HOST, free_port

REPORT = Path("docs/benchmarks.md")
USERS = 50
REDIRECT_URI = "http://127.0.0.1:9/callback"  # never contacted
STAND_IN = "devstack stand-in (uvicorn, one thread)"
# Measured after the main table, each by its own module: `run(plan) -> str` sets up and stops
# its own servers and answers Markdown that begins with a `### ` heading. `--only` runs some alone.
SECTIONS: dict[str, str] = {
    "batch": "devstack.bench.batch",
    "login_steps": "devstack.bench.login_steps",
    "memory": "devstack.bench.memory",
    "real_ory": "devstack.bench.real_ory",
    "real_ory_pages": "devstack.bench.real_ory_pages",
    "replay": "devstack.bench.replay",
    "search": "devstack.bench.search",
}


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def seed(ory: backends.OryUrls) -> tuple[str, OAuth2Client]:
    """An admin plus USERS - 1 more identities in Kratos; the dashboard's Hydra client."""
    with KratosAdmin(ClientConfig(ory.kratos_admin_url)) as kratos:
        people = [
            CreateIdentity(traits={"email": f"person{n:03}@example.org", "name": f"Person {n}"})
            for n in range(USERS)
        ]
        created = kratos.batch_create_identities(people)
    admin_id = created[0].identity
    if not admin_id:
        raise RuntimeError(f"Kratos refused the seed identities: {created[0]}")
    with HydraAdmin(ClientConfig(ory.hydra_admin_url)) as hydra:
        client = hydra.create_oauth2_client(
            OAuth2Client(
                client_name="dashboard",
                redirect_uris=[REDIRECT_URI],
                grant_types=["authorization_code", "refresh_token"],
                response_types=["code"],
                scope="openid offline_access email profile",
            )
        )
    return str(admin_id), client


def dashboard_cli(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 (our own argv)
        [sys.executable, "-c", "from dashboard_api.cli import main; main()", *args],
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def kept_sections(text: str) -> str:
    """The report's hand-written `## ` sections (notes on earlier measurements), which a new
    run keeps below its own text."""
    start = text.find("\n## ")
    return "" if start < 0 else text[start:]


def run_section(name: str, plan: Plan) -> str:
    print(f"section {name} ...", flush=True)
    module = importlib.import_module(SECTIONS[name])
    text: str = module.run(plan)
    return text.strip() + "\n"


def report(
    rows: list[Row],
    stack_ms: float,
    seconds: float,
    load_before: str,
    kept: str,
    command: str,
    sections: str = "",
) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""# Benchmarks

`make bench` (`python -m devstack.bench`, `--quick` for development) — loopback only, fixed
request counts, a few minutes. Last run `{command}` at {when} on: {machine.describe()}.
The whole run took {seconds:.0f} s; the 1-minute load average was {load_before} when it began
(anything above 0 means other work shared the CPUs, and the numbers move with it — compare
rows of one run, not runs).

{table(rows)}

One `OryStack` (the stand-ins every test gets from the `ory_stack` fixture): start, first
request and stop in {stack_ms:.0f} ms (mean of 5).

How: every server is a separate process started the way production starts it — login-service and
the bare Flask app under gunicorn with `login-service/gunicorn.conf.py` (gthread, 3 workers x 4
threads), dashboard-api and the bare FastAPI app under gunicorn with
`dashboard-api/gunicorn.conf.py` (3 `dashboard_api.serving.Worker` processes: uvicorn's worker,
new connections going to the least busy). Hydra and Kratos are the devstack stand-ins
(Python, one process, one event loop; Kratos on a SQLite file, Hydra in memory), not the real
Go servers; requests that call them measure them too — their
own rows show how much is theirs. The load generator (raw HTTP/1.1 keep-alive, "clients"
connections, {WARMUP} unmeasured warm-up requests per row) runs on the same machine and shares
its CPUs with everything measured. p50/p95 are per-request latencies; "errors" counts
unexpected statuses and dropped connections. "p95 / floor" divides by the p95 of the floor row
with as many clients. "Ory calls/req" counts the requests every stand-in served during the row,
"DB statements/req" the statements dashboard-api sent (`dashboard_api_db_statements_total`),
both divided by the row's requests including warm-up.

- Flask / FastAPI floor: `GET /healthz` returning a small JSON object: the most either framework
  can do here; the rows below are read against them. FastAPI floor `GET /users`: a bare
  endpoint answering the same page of {PAGE} users the dashboard-api returned (the floor of the
  users rows).
- login-service `/auth/login?login_challenge=…` (skip): Hydra remembers the browser, so
  login-service fetches the login request (Hydra admin), checks the identity is still active
  (Kratos admin) and accepts (Hydra admin), answering 303. Three stand-in calls per request.
- dashboard-api `GET /api/v1/users?limit=…`: a Bearer access token (Hydra introspection,
  cached by dashboard-api), the admin check and one page of users from Kratos's admin API
  merged with their roles from SQLite. At 1k/10k/100k identities: the directory seeded straight
  into the stand-in's SQLite (`devstack.bench.scale`), each person with a role on the dashboard
  and every third on a second app; "deep" is the page after the identity at 90 % of the list.
- Kratos stand-in `GET /admin/identities?page_size={PAGE}`: the list itself, first and deep page.
- dashboard-api `GET /internal/v1/consent-decision`: what login-service asks at every consent
  (shared token, SQLite only).
{sections}{kept}"""


def scale_scenarios(
    plan: Plan,
    size: int,
    *,
    dashboard: backends.Served,
    kratos_admin: backends.Served,
    kratos_database: Path,
    bearer: dict[str, str],
) -> list[Scenario]:
    """The users page at `size` identities: first page at 1/8/32 clients, a deep page, and
    (at the largest size) the Kratos stand-in's own list."""
    deep_after = scale.id_at(kratos_database, size * 9 // 10)
    deep_token = paging.keyset_token(deep_after)
    deep_cursor = encode_cursor({"k": deep_token})
    users = f"/api/v1/users?limit={PAGE}"
    label = f"{size // 1000}k"
    found = [
        Scenario(
            f"dashboard-api `GET {users}` at {label}",
            dashboard,
            users,
            plan.count(CLIENT_COUNTS[clients]),
            {200},
            headers=bearer,
            note="first page",
            clients=clients,
            floor=f"FastAPI floor `GET /users` x{clients}",
        )
        for clients in CLIENTS
    ]
    found.append(
        Scenario(
            f"dashboard-api `GET {users}` at {label}",
            dashboard,
            f"{users}&cursor={deep_cursor}",
            plan.count(CLIENT_COUNTS[1]),
            {200},
            headers=bearer,
            note="deep page",
            clients=1,
            floor="FastAPI floor `GET /users` x1",
        )
    )
    if size == plan.sizes[-1]:
        listing = f"/admin/identities?page_size={PAGE}"
        deep = f"{listing}&page_token={deep_token}"
        for note, path in (("first page", listing), ("deep page", deep)):
            found.append(
                Scenario(
                    f"Kratos stand-in `GET {listing}` at {label}",
                    kratos_admin,
                    path,
                    plan.count(CLIENT_COUNTS[1]),
                    {200},
                    note=note,
                    clients=1,
                )
            )
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer requests, up to 10k people")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated sections to run alone, printed and not written to the report: "
        + (", ".join(SECTIONS) or "none yet"),
    )
    args = parser.parse_args(argv)
    plan = Plan(quick=args.quick)
    if args.only:
        unknown = [name for name in args.only.split(",") if name not in SECTIONS]
        if unknown:
            parser.error(f"no such section: {', '.join(unknown)}")
        logging.disable(logging.WARNING)
        for name in args.only.split(","):
            print(run_section(name, plan))
        return
    command = "make bench" + (" ARGS=--quick" if plan.quick else "")
    logging.disable(logging.WARNING)
    began = time.perf_counter()
    load_before = machine.load_average()
    print(f"devstack bench on {machine.describe()}, load average {load_before}")
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="devstack-bench-")))
        login_port = free_port()
        login_url = f"http://{HOST}:{login_port}"
        kratos_database = tmp / "kratos.sqlite3"
        ory = backends.ory_stand_ins(stack, login_url, kratos_database)
        admin_id, client = seed(ory)
        assert client.client_id
        assert client.client_secret
        internal_token = secrets.token_urlsafe(24)
        dashboard_database = f"sqlite:///{tmp / 'dashboard.sqlite3'}"
        dashboard_env = backends.dashboard_env(
            ory,
            database_url=dashboard_database,
            internal_token=internal_token,
            client_id=client.client_id,
            client_secret=client.client_secret,
        )
        dashboard_cli(dashboard_env, "migrate")
        dashboard_cli(
            dashboard_env,
            "seed",
            "--admin-subject",
            admin_id,
            "--dashboard-client-id",
            client.client_id,
        )
        login_env = {
            "LOGIN_ENVIRONMENT": "development",
            "LOGIN_SECRET_KEY": secrets.token_urlsafe(24),
            "LOGIN_PUBLIC_URL": login_url,
            "LOGIN_HYDRA_ADMIN_URL": ory.hydra_admin_url,
            "LOGIN_KRATOS_PUBLIC_URL": ory.kratos_public_url,
            "LOGIN_KRATOS_BROWSER_URL": ory.kratos_public_url,
            "LOGIN_KRATOS_ADMIN_URL": ory.kratos_admin_url,
            "LOGIN_DASHBOARD_INTERNAL_TOKEN": internal_token,
        }
        print(f"seeded ({time.perf_counter() - began:.0f} s); starting servers ...", flush=True)
        floor_page = tmp / "floor-page.json"
        # Started together, then awaited: each takes seconds to import its app.
        flask_floor = backends.gunicorn(
            stack, "flask-floor", "devstack.bench.floors:flask_app", asgi=False, log_dir=tmp
        )
        fastapi_floor = backends.gunicorn(
            stack,
            "fastapi-floor",
            "devstack.bench.floors:fastapi_app",
            asgi=True,
            env={"BENCH_FLOOR_PAGE": str(floor_page)},
            log_dir=tmp,
        )
        dashboard_port = free_port()
        login_env["LOGIN_DASHBOARD_INTERNAL_URL"] = f"http://{HOST}:{dashboard_port}"
        dashboard = backends.gunicorn(
            stack,
            "dashboard-api",
            "dashboard_api.main:app",
            asgi=True,
            env=dashboard_env,
            port=dashboard_port,
            log_dir=tmp,
        )
        login = backends.gunicorn(
            stack,
            "login-service",
            "login_service.wsgi:app",
            asgi=False,
            env=login_env,
            port=login_port,
            log_dir=tmp,
        )
        for served in (flask_floor, fastapi_floor, dashboard, login):
            served.wait()
        print(f"servers up ({time.perf_counter() - began:.0f} s)", flush=True)
        challenge, access_token = scripted.remembered_login(
            ory,
            client_id=client.client_id,
            client_secret=client.client_secret,
            redirect_uri=REDIRECT_URI,
            subject=admin_id,
        )
        internal = {"Authorization": f"Bearer {internal_token}"}
        bearer = {"Authorization": f"Bearer {access_token}"}
        hydra_admin = backends.Served("hydra-admin", _port(ory.hydra_admin_url), STAND_IN)
        kratos_admin = backends.Served("kratos-admin", _port(ory.kratos_admin_url), STAND_IN)
        scenarios = [
            Scenario("Flask floor `/healthz`", flask_floor, "/healthz", plan.count(3000), {200}),
            Scenario(
                "FastAPI floor `/healthz`", fastapi_floor, "/healthz", plan.count(3000), {200}
            ),
            Scenario(
                "Hydra stand-in `GET /admin/oauth2/auth/requests/login`",
                hydra_admin,
                f"/admin/oauth2/auth/requests/login?login_challenge={challenge}",
                plan.count(1000),
                {200},
            ),
            Scenario(
                "Kratos stand-in `GET /admin/identities/{id}`",
                kratos_admin,
                f"/admin/identities/{admin_id}",
                plan.count(1000),
                {200},
            ),
            Scenario("login-service `/healthz`", login, "/healthz", plan.count(3000), {200}),
            Scenario(
                "login-service `/auth/login?login_challenge=…`",
                login,
                f"/auth/login?login_challenge={challenge}",
                plan.count(500),
                {303},
                note="skip",
            ),
            Scenario(
                f"dashboard-api `GET /api/v1/users?limit={USERS}`",
                dashboard,
                f"/api/v1/users?limit={USERS}",
                plan.count(300),
                {200},
                headers=bearer,
            ),
            Scenario(
                "dashboard-api `GET /internal/v1/consent-decision`",
                dashboard,
                f"/internal/v1/consent-decision?subject={admin_id}&client_id={client.client_id}",
                plan.count(1000),
                {200},
                headers=internal,
            ),
        ]
        print("measuring ...", flush=True)
        counts = Counts(ory, dashboard)
        rows = measure(scenarios, counts)
        seeded = 0
        for size in plan.sizes:
            print(f"seeding {size} identities with roles ...", end="", flush=True)
            seeding = time.perf_counter()
            config = KratosConfig(database=str(kratos_database))
            made = scale.seed_identities(kratos_database, config, first=seeded, count=size - seeded)
            scale.seed_roles(dashboard_database, made, first=seeded)
            seeded = size
            print(f" {time.perf_counter() - seeding:.0f} s", flush=True)
            if not floor_page.exists():
                page = httpx.get(
                    f"{dashboard.url}/api/v1/users?limit={PAGE}", headers=bearer, trust_env=False
                )
                page.raise_for_status()
                floor_page.write_bytes(page.content)
                rows += measure(
                    [
                        Scenario(
                            f"FastAPI floor `GET /users` x{clients}",
                            fastapi_floor,
                            "/users",
                            plan.count(CLIENT_COUNTS[clients]),
                            {200},
                            note=f"the same {PAGE} users",
                            clients=clients,
                        )
                        for clients in CLIENTS
                    ]
                )
            rows += measure(
                scale_scenarios(
                    plan,
                    size,
                    dashboard=dashboard,
                    kratos_admin=kratos_admin,
                    kratos_database=kratos_database,
                    bearer=bearer,
                ),
                counts,
            )
        print("  OryStack start + first request + stop ...", end="", flush=True)
        stack_ms = startup.ory_stack_cycle_ms()
        print(f" {stack_ms:.0f} ms")
    sections = "".join("\n" + run_section(name, plan) for name in SECTIONS)
    seconds = time.perf_counter() - began
    print()
    print(table(rows))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    kept = kept_sections(REPORT.read_text()) if REPORT.exists() else ""
    REPORT.write_text(report(rows, stack_ms, seconds, load_before, kept, command, sections))
    print(f"\nwritten to {REPORT} ({seconds:.0f} s)")
    failed = [row.scenario.name for row in rows if row.result.errors > row.result.requests // 100]
    if failed:  # reported, not failed: a bench run informs, it never breaks a build
        print(f"more than 1% errors (read those rows with care): {', '.join(failed)}")


if __name__ == "__main__":
    main()
