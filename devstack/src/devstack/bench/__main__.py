"""`python -m devstack.bench`: set everything up on loopback, measure, print, write the report."""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from stackspin_clients import ClientConfig, HydraAdmin, KratosAdmin
from stackspin_clients.models import CreateIdentity, OAuth2Client

from devstack.bench import backends, load, machine, scripted, startup

REPORT = Path("docs/benchmarks.md")
CONCURRENCY = 16
USERS = 50
REDIRECT_URI = "http://127.0.0.1:9/callback"  # never contacted
STAND_IN = "devstack stand-in (uvicorn, one thread)"


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


@dataclass
class Scenario:
    name: str
    served: backends.Served
    path: str
    count: int
    ok: set[int]
    headers: dict[str, str] | None = None
    note: str = ""


@dataclass
class Row:
    scenario: Scenario
    result: load.Result


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


def measure(scenarios: list[Scenario]) -> list[Row]:
    rows = []
    for scenario in scenarios:
        print(f"  {scenario.name}: {scenario.count} requests ...", end="", flush=True)
        result = load.run(
            backends.HOST,
            scenario.served.port,
            scenario.path,
            headers=scenario.headers,
            count=scenario.count,
            concurrency=CONCURRENCY,
            ok=scenario.ok,
        )
        print(f" {result.per_second:.0f}/s")
        rows.append(Row(scenario, result))
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| endpoint | served by | requests | errors | req/s | p50 ms | p95 ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        s, r = row.scenario, row.result
        name = f"{s.name} ({s.note})" if s.note else s.name
        lines.append(
            f"| {name} | {s.served.how} | {r.requests} | {r.errors} | {r.per_second:.0f} "
            f"| {r.percentile(50):.1f} | {r.percentile(95):.1f} |"
        )
    return "\n".join(lines)


def kept_sections(text: str) -> str:
    """The report's hand-written `## ` sections (notes on earlier measurements), which a new
    run keeps below its own text."""
    start = text.find("\n## ")
    return "" if start < 0 else text[start:]


def report(rows: list[Row], stack_ms: float, seconds: float, load_before: str, kept: str) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""# Benchmarks

`make bench` (`python -m devstack.bench`) — loopback only, fixed request counts, about a minute.
Last run {when} on: {machine.describe()}. The whole run took {seconds:.0f} s; the 1-minute
load average was {load_before} when it began (anything above 0 means other work shared the CPUs,
and the numbers move with it — compare rows of one run, not runs).

{table(rows)}

One `OryStack` (the stand-ins every test gets from the `ory_stack` fixture): start, first
request and stop in {stack_ms:.0f} ms (mean of 5).

How: every server is a separate process started the way production starts it — login-service and
the bare Flask app under gunicorn with `login-service/gunicorn.conf.py` (gthread, 3 workers x 4
threads), dashboard-api and the bare FastAPI app under gunicorn with
`dashboard-api/gunicorn.conf.py` (3 `uvicorn_worker.UvicornWorker` processes). Hydra and Kratos
are the devstack stand-ins (Python, one process, one event loop, in-memory SQLite), not the real
Go servers; requests that call them measure them too — their own rows show how much is theirs.
The load generator (raw HTTP/1.1 keep-alive, {CONCURRENCY} connections, 50 unmeasured warm-up
requests per row) runs on the same machine and shares its CPUs with everything measured.
p50/p95 are per-request latencies; "errors" counts unexpected statuses and dropped connections.

- Flask / FastAPI floor: `GET /healthz` returning a small JSON object: the most either framework
  can do here; the rows below are read against them.
- login-service `/auth/login?login_challenge=…` (skip): Hydra remembers the browser, so
  login-service fetches the login request (Hydra admin), checks the identity is still active
  (Kratos admin) and accepts (Hydra admin), answering 303. Three stand-in calls per request.
- dashboard-api `GET /api/v1/users?limit={USERS}`: a Bearer access token (Hydra introspection,
  cached by dashboard-api), the admin check and one page of {USERS} users from Kratos's admin API
  merged with their roles from SQLite.
- dashboard-api `GET /internal/v1/consent-decision`: what login-service asks at every consent
  (shared token, SQLite only).
{kept}"""


def main() -> None:
    logging.disable(logging.WARNING)
    began = time.perf_counter()
    load_before = machine.load_average()
    print(f"devstack bench on {machine.describe()}, load average {load_before}")
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="devstack-bench-")))
        login_port = backends.free_port()
        login_url = f"http://{backends.HOST}:{login_port}"
        ory = backends.ory_stand_ins(stack, login_url)
        admin_id, client = seed(ory)
        assert client.client_id
        assert client.client_secret
        internal_token = secrets.token_urlsafe(24)
        dashboard_env = {
            "DASHBOARD_ENVIRONMENT": "development",
            "DASHBOARD_SECRET_KEY": secrets.token_urlsafe(24),
            "DASHBOARD_DATABASE_URL": f"sqlite:///{tmp / 'dashboard.sqlite3'}",
            "DASHBOARD_HYDRA_ADMIN_URL": ory.hydra_admin_url,
            "DASHBOARD_HYDRA_PUBLIC_URL": ory.hydra_public_url,
            "DASHBOARD_KRATOS_ADMIN_URL": ory.kratos_admin_url,
            "DASHBOARD_KRATOS_PUBLIC_URL": ory.kratos_public_url,
            "DASHBOARD_INTERNAL_TOKEN": internal_token,
            "DASHBOARD_OAUTH_CLIENT_ID": client.client_id,
            "DASHBOARD_OAUTH_CLIENT_SECRET": client.client_secret,
        }
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
        # Started together, then awaited: each takes seconds to import its app.
        flask_floor = backends.gunicorn(
            stack, "flask-floor", "devstack.bench.floors:flask_app", asgi=False, log_dir=tmp
        )
        fastapi_floor = backends.gunicorn(
            stack, "fastapi-floor", "devstack.bench.floors:fastapi_app", asgi=True, log_dir=tmp
        )
        dashboard_port = backends.free_port()
        login_env["LOGIN_DASHBOARD_INTERNAL_URL"] = f"http://{backends.HOST}:{dashboard_port}"
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
        hydra_admin = backends.Served("hydra-admin", _port(ory.hydra_admin_url), STAND_IN)
        kratos_admin = backends.Served("kratos-admin", _port(ory.kratos_admin_url), STAND_IN)
        scenarios = [
            Scenario("Flask floor `/healthz`", flask_floor, "/healthz", 3000, {200}),
            Scenario("FastAPI floor `/healthz`", fastapi_floor, "/healthz", 3000, {200}),
            Scenario(
                "Hydra stand-in `GET /admin/oauth2/auth/requests/login`",
                hydra_admin,
                f"/admin/oauth2/auth/requests/login?login_challenge={challenge}",
                1000,
                {200},
            ),
            Scenario(
                "Kratos stand-in `GET /admin/identities/{id}`",
                kratos_admin,
                f"/admin/identities/{admin_id}",
                1000,
                {200},
            ),
            Scenario("login-service `/healthz`", login, "/healthz", 3000, {200}),
            Scenario(
                "login-service `/auth/login?login_challenge=…`",
                login,
                f"/auth/login?login_challenge={challenge}",
                500,
                {303},
                note="skip",
            ),
            Scenario(
                f"dashboard-api `GET /api/v1/users?limit={USERS}`",
                dashboard,
                f"/api/v1/users?limit={USERS}",
                300,
                {200},
                headers={"Authorization": f"Bearer {access_token}"},
            ),
            Scenario(
                "dashboard-api `GET /internal/v1/consent-decision`",
                dashboard,
                f"/internal/v1/consent-decision?subject={admin_id}&client_id={client.client_id}",
                1000,
                {200},
                headers=internal,
            ),
        ]
        print("measuring ...", flush=True)
        rows = measure(scenarios)
        print("  OryStack start + first request + stop ...", end="", flush=True)
        stack_ms = startup.ory_stack_cycle_ms()
        print(f" {stack_ms:.0f} ms")
    seconds = time.perf_counter() - began
    print()
    print(table(rows))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    kept = kept_sections(REPORT.read_text()) if REPORT.exists() else ""
    REPORT.write_text(report(rows, stack_ms, seconds, load_before, kept))
    print(f"\nwritten to {REPORT} ({seconds:.0f} s)")
    failed = [row.scenario.name for row in rows if row.result.errors > row.result.requests // 100]
    if failed:
        raise SystemExit(f"more than 1% errors: {', '.join(failed)}")


if __name__ == "__main__":
    main()
