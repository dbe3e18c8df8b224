"""Bench section `real_ory`: whole password logins through nginx against real Hydra and Kratos.

A scripted browser (`devstack.testing.browser`, httpx) runs the authorization-code flow of an
OIDC client app, each login with a fresh cookie jar: `/oauth2/auth` → login-service → Kratos
browser login flow → email + password with the page's CSRF token → consent → code → token
exchange at `/oauth2/token`, all through nginx with the repo's proxy config. CPU seconds per
login come from /proc (utime + stime of each process and its children) before and after.
"""

from __future__ import annotations

import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from stackspin_clients import ClientConfig, HydraAdmin, KratosAdmin
from stackspin_clients.models import CreateIdentity, OAuth2Client

from devstack import nginx
from devstack.bench import backends, machine, rss
from devstack.bench.plan import Plan
from devstack.bench.rows import Row, Scenario, measure, table
from devstack.hydra import HydraConfig
from devstack.kratos import KratosConfig
from devstack.ports import HOST, free_port
from devstack.realory.configs import DEPLOY_ORY
from devstack.realory.stack import RealOryStack
from devstack.testing.browser import Browser

APP_ORIGIN = "http://127.0.0.1:9"  # the app's callback: never contacted, the browser stops there
CALLBACK = f"{APP_ORIGIN}/callback"
PASSWORD = "correct horse battery staple 42"  # noqa: S105 (the bench people's, loopback only)
PEOPLE = 8  # identities the logins rotate over (each login a new browser, so a new password check)
# The production limit (60r/m per client IP on Kratos's self-service) would answer 429 to one
# load generator; the bench is many people behind one IP.
SELFSERVICE_RATE = "100000r/m"
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class LoginPlan:
    """How many logins each client count runs (after `warmup` unmeasured ones)."""

    counts: dict[int, int]
    warmup: int = 2


def login_plan(plan: Plan) -> LoginPlan:
    return LoginPlan({1: 8, 4: 16} if plan.quick else {1: 20, 4: 40})


# ---- CPU time from /proc -------------------------------------------------------------------


def cpu_seconds(pid: int, proc: Path = rss.PROC) -> float:
    """utime + stime of `pid` in seconds, from `/proc/<pid>/stat` (0 once it has exited)."""
    try:
        stat = (proc / str(pid) / "stat").read_text()
    except OSError:
        return 0.0
    return parse_cpu_ticks(stat) / CLK_TCK


def parse_cpu_ticks(stat: str) -> int:
    """utime + stime (clock ticks) of a /proc/<pid>/stat line (fields 14 and 15)."""
    # After `pid (comm)` the fields count from 3 (state); comm may hold spaces and parentheses.
    rest = stat.rsplit(")", 1)[1].split()
    return int(rest[11]) + int(rest[12])


def tree_cpu_seconds(pid: int, proc: Path = rss.PROC) -> float:
    """CPU seconds of `pid` and its children (a gunicorn master's or nginx's workers)."""
    return cpu_seconds(pid, proc) + sum(cpu_seconds(child, proc) for child in rss.children(pid))


def cpu_snapshot(pids: dict[str, int]) -> dict[str, float]:
    return {name: tree_cpu_seconds(pid) for name, pid in pids.items()}


# ---- one login ------------------------------------------------------------------------------


@dataclass
class Login:
    seconds: float
    requests: int  # HTTP requests the browser and the app sent, token exchange included


class LoginError(RuntimeError):
    """A login did not end with tokens; the message names the step."""


def password_login(base: str, client_id: str, client_secret: str, email: str) -> Login:
    """One whole login of a new browser, timed from `/oauth2/auth` to the tokens."""
    began = time.perf_counter()
    with Browser(APP_ORIGIN) as browser:
        query = {
            "client_id": client_id,
            "response_type": "code",
            "scope": "openid email profile",
            "redirect_uri": CALLBACK,
            "state": secrets.token_urlsafe(12),
        }
        visit = browser.get(f"{base}/oauth2/auth", params=query)
        requests = len(visit.urls)
        if "/auth/login?flow=" not in visit.url or visit.status != 200:
            raise LoginError(f"no login page: {visit.status} {visit.url}")
        form = visit.page.find(button="password", fields=("password",))
        values = {"password": PASSWORD}
        if not form.fields.get("identifier"):
            values["identifier"] = email
        visit = browser.submit(visit, button="password", fields=("password",), **values)
        requests += len(visit.urls)
        if "/auth/consent" in visit.url and visit.status == 200 and visit.page.forms:
            visit = browser.submit(visit, button="accept")
            requests += len(visit.urls)
        code = parse_qs(urlsplit(visit.url).query).get("code")
        if not visit.url.startswith(CALLBACK) or not code:
            raise LoginError(f"no code: {visit.status} {visit.url} {visit.response.text[:200]}")
        token = browser.http.post(
            f"{base}/oauth2/token",
            data={"grant_type": "authorization_code", "code": code[0], "redirect_uri": CALLBACK},
            auth=(client_id, client_secret),
        )
        if token.status_code != 200 or "access_token" not in token.json():
            raise LoginError(f"token exchange: {token.status_code} {token.text[:200]}")
    return Login(time.perf_counter() - began, requests + 1)


@dataclass
class LoginRun:
    clients: int
    logins: list[Login] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per process, whole run

    @property
    def per_second(self) -> float:
        return len(self.logins) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Seconds of a whole login at percentile `p` (nearest rank)."""
        ordered = sorted(login.seconds for login in self.logins)
        if not ordered:
            return float("nan")
        rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered)) - 1))
        return ordered[rank]

    def cpu_per_login(self) -> dict[str, float]:
        done = len(self.logins) or 1
        return {name: seconds / done for name, seconds in self.cpu.items()}


def run_logins(
    login: Callable[[int], Login], *, count: int, clients: int, pids: dict[str, int]
) -> LoginRun:
    """`count` logins from `clients` threads; `login(n)` does the n-th one."""
    run = LoginRun(clients)

    def one(n: int) -> Login | str:
        try:
            return login(n)
        except (LoginError, httpx.HTTPError, AssertionError) as exc:
            return f"{type(exc).__name__}: {exc}"

    before = cpu_snapshot(pids)
    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for outcome in pool.map(one, range(count)):
            if isinstance(outcome, Login):
                run.logins.append(outcome)
            else:
                run.errors.append(outcome)
    run.seconds = time.perf_counter() - began
    after = cpu_snapshot(pids)
    run.cpu = {name: after[name] - before[name] for name in pids}
    return run


# ---- the report ------------------------------------------------------------------------------


def hashing() -> str:
    """Kratos's password hasher as deploy/ory/kratos.yml sets it (what the bench runs)."""
    import yaml

    config = yaml.safe_load((DEPLOY_ORY / "kratos.yml").read_text())
    hashers = config.get("hashers", {})
    algorithm = hashers.get("algorithm", "bcrypt (Kratos's default)")
    params = hashers.get(algorithm, {}) if isinstance(algorithm, str) else {}
    shown = ", ".join(
        f"{k} {v}"
        for k, v in params.items()
        if k in ("memory", "iterations", "parallelism", "cost")
    )
    return f"{algorithm} ({shown})" if shown else str(algorithm)


def login_table(runs: list[LoginRun], floors: dict[int, Row]) -> str:
    names = list(runs[0].cpu) if runs else []
    head = (
        "| clients | logins | errors | logins/s | floor logins/s | p50 s | p95 s "
        "| requests/login | CPU s/login: " + " / ".join(names) + " | CPU s/login, all "
        "| vCPU per 15 logins/s | logins/s per vCPU |"
    )
    lines = [
        head,
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for run in runs:
        per_login = run.cpu_per_login()
        total = sum(per_login.values())
        requests = statistics.mean(login.requests for login in run.logins) if run.logins else 0
        floor = floors.get(run.clients)
        floor_logins = floor.result.per_second / requests if floor and requests else float("nan")
        lines.append(
            f"| {run.clients} | {len(run.logins)} | {len(run.errors)} | {run.per_second:.1f} "
            f"| {floor_logins:.0f} | {run.percentile(50):.2f} | {run.percentile(95):.2f} "
            f"| {requests:.0f} | "
            + " / ".join(f"{per_login[name]:.3f}" for name in names)
            + f" | {total:.3f} | {total * 15:.1f} | {1 / total if total else 0:.1f} |"
        )
    return "\n".join(lines)


def upstream_errors(error_log: str, limit: int = 2) -> list[str]:
    """nginx's error-log lines about an upstream (why a 502 was answered), shortened."""
    found = [line for line in error_log.splitlines() if "upstream" in line and "[error]" in line]
    return [line[:300] for line in found[:limit]]


def server_errors(logs: dict[str, Path], limit: int = 2) -> list[str]:
    """The first error lines of each real Ory server's log (why a step stalled)."""
    found = []
    for name, log in logs.items():
        text = log.read_text(errors="replace") if log.exists() else ""
        lines = [line for line in text.splitlines() if "level=error" in line or "locked" in line]
        found += [f"{name}: {line[:300]}" for line in lines[:limit]]
    return found


def render(
    runs: list[LoginRun], floor_rows: list[Row], stack_note: str, proxy_errors: list[str]
) -> str:
    floors = {row.scenario.clients: row for row in floor_rows}
    errors = [error[:240] for run in runs for error in run.errors][:2] + proxy_errors
    error_note = "".join(f"\n- error: `{error}`" for error in errors)
    return f"""### Whole password logins through nginx, real Hydra v2.3.0 and Kratos v1.3.1

{login_table(runs, floors)}

{table(floor_rows)}
{error_note}

- Each login is a new scripted browser (httpx, a fresh cookie jar): `GET /oauth2/auth` through
  nginx → login-service → Kratos browser login flow → the login page's form (email, password,
  CSRF token) posted to Kratos → login accepted → consent (accepted at a person's first login,
  then remembered by Hydra and skipped) → redirect with the code →
  `POST /oauth2/token` (client_secret_basic), all via nginx; p50/p95 are of the whole login.
- {stack_note}
- Kratos hashes passwords with {hashing()}: the production cost of deploy/ory/kratos.yml,
  not lowered for the bench. nginx's self-service limit raised to {SELFSERVICE_RATE} (one load
  generator is all the people).
- CPU s/login: utime + stime from /proc of each process and its children over the run,
  divided by the logins. One vCPU here: one of the {os.cpu_count()} logical CPUs of
  {machine.cpu_model()}; "vCPU per 15 logins/s" = 15 x CPU s/login of all the
  processes (Keycloak sizes one vCPU per 15 password logins/s). The load generator runs on
  the same CPUs and is not counted.
- Floor logins/s: the Flask floor's requests/s through the same nginx with as many clients,
  divided by the requests one login takes.
"""


# ---- setting it up ---------------------------------------------------------------------------


def _client(hydra: HydraAdmin, name: str, redirect_uri: str) -> OAuth2Client:
    created = hydra.create_oauth2_client(
        OAuth2Client(
            client_name=name,
            redirect_uris=[redirect_uri],
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            scope="openid email profile offline_access",
            token_endpoint_auth_method="client_secret_basic",  # noqa: S106 (a method name)
        )
    )
    assert created.client_id
    assert created.client_secret
    return created


def _dashboard_cli(env: dict[str, str], commands: list[list[str]]) -> None:
    script = (
        "import json, sys\nfrom dashboard_api.cli import main\n"
        "for args in json.loads(sys.argv[1]):\n    main(args, standalone_mode=False)\n"
    )
    import json

    subprocess.run(  # noqa: S603 (our own argv)
        [sys.executable, "-c", script, json.dumps(commands)],
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def login_env(
    ory: RealOryStack, base: str, dashboard_url: str, internal_token: str
) -> dict[str, str]:
    """login-service's settings behind nginx at `base` (as tests/stack_harness sets them)."""
    return {
        "LOGIN_ENVIRONMENT": "development",
        "LOGIN_SECRET_KEY": secrets.token_urlsafe(24),
        "LOGIN_PUBLIC_URL": base,
        "LOGIN_HYDRA_ADMIN_URL": ory.hydra_admin_url,
        "LOGIN_KRATOS_PUBLIC_URL": ory.kratos_public_url,
        "LOGIN_KRATOS_BROWSER_URL": f"{base}/kratos",
        "LOGIN_KRATOS_ADMIN_URL": ory.kratos_admin_url,
        "LOGIN_DASHBOARD_INTERNAL_URL": dashboard_url,
        "LOGIN_DASHBOARD_INTERNAL_TOKEN": internal_token,
        "LOGIN_ALLOWED_RETURN_URLS": f"{APP_ORIGIN}/",
        "LOGIN_PROXY_HOPS": "1",
        "GUNICORN_FORWARDED_ALLOW_IPS": "127.0.0.1",
    }


def run(plan: Plan) -> str:
    how = login_plan(plan)
    began = time.perf_counter()
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-real-ory-")))
        nginx_port = free_port()
        base = f"http://{HOST}:{nginx_port}"
        ory = RealOryStack(
            HydraConfig(issuer=f"{base}/"), KratosConfig(public_url=f"{base}/kratos/")
        )
        ory.ui_url = base  # set before start: real Ory starts once
        ory.start()
        stack.callback(ory.stop)
        # The apps import while Ory is seeded and dashboard-api's database migrated.
        dashboard_port = free_port()
        internal_token = secrets.token_urlsafe(24)
        login = backends.gunicorn(
            stack,
            "login-service",
            "login_service.wsgi:app",
            asgi=False,
            env=login_env(ory, base, f"http://{HOST}:{dashboard_port}", internal_token),
            log_dir=tmp,
        )
        flask_floor = backends.gunicorn(
            stack, "flask-floor", "devstack.bench.floors:flask_app", asgi=False, log_dir=tmp
        )
        with HydraAdmin(ClientConfig(ory.hydra_admin_url)) as hydra:
            dashboard_client = _client(hydra, "Dashboard", f"{base}/api/v1/auth/callback")
            app_client = _client(hydra, "Demo", CALLBACK)
        urls = backends.OryUrls(
            ory.hydra_public_url, ory.hydra_admin_url, ory.kratos_public_url, ory.kratos_admin_url
        )
        assert dashboard_client.client_id
        assert dashboard_client.client_secret
        assert app_client.client_id
        assert app_client.client_secret
        dashboard_env = backends.dashboard_env(
            urls,
            database_url=f"sqlite:///{tmp / 'dashboard.sqlite3'}",
            internal_token=internal_token,
            client_id=dashboard_client.client_id,
            client_secret=dashboard_client.client_secret,
        )
        dashboard_env["DASHBOARD_PUBLIC_URL"] = base
        # Its workers import while Kratos hashes the seed passwords and the CLI migrates.
        dashboard = backends.gunicorn(
            stack,
            "dashboard-api",
            "dashboard_api.main:app",
            asgi=True,
            port=dashboard_port,
            env=dashboard_env,
            log_dir=tmp,
        )
        # argon2 at the production cost, beside six workers importing: give it time.
        with KratosAdmin(ClientConfig(ory.kratos_admin_url, read_timeout=120)) as kratos:
            people = kratos.batch_create_identities(
                [
                    CreateIdentity(
                        traits={"email": f"login{n}@example.org", "name": f"Login {n}"},
                        credentials={"password": {"config": {"password": PASSWORD}}},
                    )
                    for n in range(PEOPLE)
                ]
            )
        ids = [str(person.identity) for person in people]
        _dashboard_cli(
            dashboard_env,
            [
                ["migrate"],
                [
                    "seed",
                    "--admin-subject",
                    ids[0],
                    "--dashboard-client-id",
                    dashboard_client.client_id,
                ],
                ["app", "create", "demo", "--name", "Demo", "--url", f"{APP_ORIGIN}/"],
                ["app", "add-client", "demo", "--client-id", app_client.client_id],
                *(["user", "set-role", subject, "demo", "user"] for subject in ids),
            ],
        )
        for served in (dashboard, login, flask_floor):
            served.wait()
        front = nginx.start_nginx(
            tmp / "nginx",
            port=nginx_port,
            login_service=f"{HOST}:{login.port}",
            dashboard_api=f"{HOST}:{dashboard.port}",
            kratos_public=ory.kratos_public_url.removeprefix("http://"),
            # The floor stands in for Hydra's public API: /healthz through the same proxy path.
            hydra_public=ory.hydra_public_url.removeprefix("http://"),
            selfservice_rate=SELFSERVICE_RATE,
            selfservice_burst=1000,
        )
        stack.callback(front.stop)
        floor_front = nginx.start_nginx(
            tmp / "nginx-floor",
            login_service=f"{HOST}:{flask_floor.port}",
            dashboard_api=f"{HOST}:{dashboard.port}",
            kratos_public=ory.kratos_public_url.removeprefix("http://"),
            hydra_public=ory.hydra_public_url.removeprefix("http://"),
        )
        stack.callback(floor_front.stop)

        pids = {
            "Hydra": ory.pids["hydra"],
            "Kratos": ory.pids["kratos"],
            "login-service": login.process.pid if login.process else None,
            "dashboard-api": dashboard.process.pid if dashboard.process else None,
            "nginx": front.process.pid,
        }
        known = {name: pid for name, pid in pids.items() if pid is not None}
        client_id, client_secret = app_client.client_id, app_client.client_secret

        def one(n: int) -> Login:
            return password_login(base, client_id, client_secret, f"login{n % PEOPLE}@example.org")

        print(f"  stack up ({time.perf_counter() - began:.0f} s)", flush=True)
        for n in range(how.warmup):
            one(n)
        runs = []
        for clients, count in how.counts.items():
            print(f"  {count} logins, {clients} clients ...", end="", flush=True)
            done = run_logins(one, count=count, clients=clients, pids=known)
            print(f" {done.per_second:.1f}/s, {len(done.errors)} errors", flush=True)
            runs.append(done)
        proxy_errors = upstream_errors(front.error_log()) + server_errors(ory.logs)
        floor_served = backends.Served(
            "nginx → Flask floor",
            floor_front.port,
            "nginx → gunicorn gthread, 3 workers x 4 threads",
        )
        floor_rows = measure(
            [
                Scenario(
                    f"Flask floor `/healthz` through nginx x{clients}",
                    floor_served,
                    "/auth/healthz",
                    plan.count(1000),
                    {200},
                    clients=clients,
                )
                for clients in how.counts
            ]
        )
    note = (
        "login-service (gunicorn gthread, 3 workers x 4 threads) and dashboard-api (gunicorn, 3 "
        "uvicorn workers, SQLite) as `login-service/gunicorn.conf.py` and "
        "`dashboard-api/gunicorn.conf.py` start them; Hydra and Kratos on SQLite (WAL) with "
        f"deploy/ory/*.yml; {PEOPLE} people with a role on the app, rotated."
    )
    return render(runs, floor_rows, note, proxy_errors)
