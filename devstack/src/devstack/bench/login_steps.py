"""Bench section `login_steps`: login-service's own CPU per sign-in step, its upstreams (Hydra
admin, Kratos admin and public, dashboard-api's consent decision) replayed from recorded
answers (`replay_server`), beside the bare Flask floor measured the same way."""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from stackspin_clients import ClientConfig, HydraAdmin
from stackspin_clients.models import AcceptConsent, AcceptLogin

from devstack.bench import backends, machine, replay_server
from devstack.bench.__main__ import REDIRECT_URI, dashboard_cli, seed
from devstack.bench.plan import Plan
from devstack.bench.rows import WARMUP, Counts, Row, Scenario, measure, table
from devstack.ports import HOST, free_port

FLOOR = "Flask floor `/healthz`"
_LOGIN_REQUEST = "/admin/oauth2/auth/requests/login?"
_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int, proc: Path) -> list[str]:
    # `pid (comm) state ...`: comm may hold spaces and parentheses, so split after it.
    return (proc / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()


def workers_cpu_seconds(master: int, proc: Path = Path("/proc")) -> float:
    """utime + stime of the gunicorn `master`'s workers so far, the ones it recycled
    (`max_requests`) included: their time is in the master's cutime + cstime once reaped."""
    fields = _stat(master, proc)
    ticks = int(fields[13]) + int(fields[14])  # cutime, cstime (fields 16, 17 of stat)
    children = (proc / str(master) / "task" / str(master) / "children").read_text().split()
    for pid in children:
        try:
            fields = _stat(int(pid), proc)
        except FileNotFoundError:
            continue  # reaped between the two reads: counted in cutime next time
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return ticks / _TICK


def measure_with_cpu(scenario: Scenario, counts: Counts) -> tuple[Row, float]:
    """The row, and its server's own CPU milliseconds per request (warm-up included)."""
    assert scenario.served.process is not None
    master = scenario.served.process.pid
    before = workers_cpu_seconds(master)
    (row,) = measure([scenario], counts)
    spent = workers_cpu_seconds(master) - before
    return row, spent * 1000 / (scenario.count + WARMUP)


@dataclass(frozen=True)
class Step:
    """One measured request: its path, the answer it must get, the browser's cookies."""

    name: str
    note: str
    path: str
    status: int
    cookie: str | None = None

    @property
    def headers(self) -> dict[str, str] | None:
        return {"Cookie": self.cookie} if self.cookie else None


def _query(response: httpx.Response, name: str) -> str:
    return parse_qs(urlsplit(response.headers["location"]).query)[name][0]


def _authorize(browser: httpx.Client, ory: backends.OryUrls, client_id: str) -> str:
    response = browser.get(
        f"{ory.hydra_public_url}/oauth2/auth",
        params={
            "client_id": client_id,
            "response_type": "code",
            "scope": "openid email profile",
            "redirect_uri": REDIRECT_URI,
            "state": secrets.token_urlsafe(12),
        },
    )
    return _query(response, "login_challenge")


def steps(ory: backends.OryUrls, client_id: str, subject: str) -> list[Step]:
    """The three steps, made through Hydra's admin API as a login provider would: a first
    sign-in remembered (login and consent), then a second whose login Hydra skips and whose
    consent it remembers; and a Kratos password login flow of a fresh browser."""
    with (
        httpx.Client(follow_redirects=False, trust_env=False, timeout=10) as browser,
        HydraAdmin(ClientConfig(ory.hydra_admin_url)) as hydra,
    ):
        first = _authorize(browser, ory, client_id)
        accepted = hydra.accept_login_request(
            first, AcceptLogin(subject=subject, remember=True, remember_for=3600)
        )
        consent = _query(browser.get(accepted.redirect_to), "consent_challenge")
        accepted = hydra.accept_consent_request(
            consent,
            AcceptConsent(
                grant_scope=["openid", "email", "profile"], remember=True, remember_for=3600
            ),
        )
        browser.get(accepted.redirect_to)  # Hydra remembers the consent once the code is out
        login_challenge = _authorize(browser, ory, client_id)
        # The consent step needs a login of its own: accepting this one would not change the
        # login challenge's recorded answers (the replay answers them as they were).
        second = _authorize(browser, ory, client_id)
        accepted = hydra.accept_login_request(second, AcceptLogin(subject=subject))
        consent_challenge = _query(browser.get(accepted.redirect_to), "consent_challenge")
        if not hydra.get_consent_request(consent_challenge).skip:
            raise RuntimeError("Hydra did not remember the consent")
    with httpx.Client(follow_redirects=False, trust_env=False, timeout=10) as fresh:
        started = fresh.get(f"{ory.kratos_public_url}/self-service/login/browser")
        flow = _query(started, "flow")
        cookie = "; ".join(f"{name}={value}" for name, value in fresh.cookies.items())
    return [
        Step(
            "login-service `/auth/login?login_challenge=…`",
            "skip: Hydra get + Kratos identity + Hydra accept",
            f"/auth/login?login_challenge={login_challenge}",
            303,
        ),
        Step(
            "login-service `/auth/consent?consent_challenge=…`",
            "remembered: Hydra get + decision with the identity claims + Hydra accept",
            f"/auth/consent?consent_challenge={consent_challenge}",
            303,
        ),
        Step(
            "login-service `/auth/login?flow=…`",
            "password login page: Kratos flow + render",
            f"/auth/login?flow={flow}",
            200,
            cookie,
        ),
    ]


def login_challenge(measured: list[Step]) -> str:
    """The query of the first step's Hydra get (a recorded answer), encoded as our clients do."""
    challenge = parse_qs(urlsplit(measured[0].path).query)["login_challenge"][0]
    return str(httpx.QueryParams({"login_challenge": challenge}))


def run(plan: Plan) -> str:
    load_before = machine.load_average()
    began = time.perf_counter()
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-login-")))
        login_port = free_port()
        ory = backends.ory_stand_ins(stack, f"http://{HOST}:{login_port}", tmp / "kratos.sqlite3")
        subject, client = seed(ory)
        assert client.client_id
        assert client.client_secret
        token = secrets.token_urlsafe(24)
        dashboard_env = backends.dashboard_env(
            ory,
            database_url=f"sqlite:///{tmp / 'dashboard.sqlite3'}",
            internal_token=token,
            client_id=client.client_id,
            client_secret=client.client_secret,
        )
        dashboard_cli(dashboard_env, "migrate")
        dashboard_cli(
            dashboard_env,
            "seed",
            "--admin-subject",
            subject,
            "--dashboard-client-id",
            client.client_id,
        )
        dashboard = backends.gunicorn(
            stack,
            "dashboard-api",
            "dashboard_api.main:app",
            asgi=True,
            env=dashboard_env,
            log_dir=tmp,
        )
        hydra_admin, kratos_admin, kratos_public, internal = replay_server.start(
            stack,
            [ory.hydra_admin_url, ory.kratos_admin_url, ory.kratos_public_url, dashboard.url],
        )
        login_env = {
            "LOGIN_ENVIRONMENT": "development",
            "LOGIN_SECRET_KEY": secrets.token_urlsafe(24),
            "LOGIN_PUBLIC_URL": f"http://{HOST}:{login_port}",
            "LOGIN_HYDRA_ADMIN_URL": hydra_admin,
            "LOGIN_KRATOS_PUBLIC_URL": kratos_public,
            "LOGIN_KRATOS_BROWSER_URL": ory.kratos_public_url,
            "LOGIN_KRATOS_ADMIN_URL": kratos_admin,
            "LOGIN_DASHBOARD_INTERNAL_URL": internal,
            "LOGIN_DASHBOARD_INTERNAL_TOKEN": token,
        }
        floor = backends.gunicorn(
            stack, "flask-floor", "devstack.bench.floors:flask_app", asgi=False, log_dir=tmp
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
        for served in (dashboard, floor, login):
            served.wait()
        measured = steps(ory, client.client_id, subject)
        for step in measured:  # recorded: every upstream call the step makes, once
            answer = httpx.get(login.url + step.path, headers=step.headers, trust_env=False)
            if answer.status_code != step.status:
                raise RuntimeError(f"{step.name}: {answer.status_code} while recording")
        replay_server.replay(hydra_admin)
        # The lower bound of a step with n upstream calls: the floor making n bare httpx GETs
        # of one recorded answer (the login request) on the same replay server.
        calls = backends.gunicorn(
            stack,
            "flask-calls",
            "devstack.bench.floors:flask_app",
            asgi=False,
            env={"BENCH_FLOOR_UPSTREAM": hydra_admin + _LOGIN_REQUEST + login_challenge(measured)},
            log_dir=tmp,
        ).wait()
        count = plan.count(1000)
        scenarios = [Scenario(FLOOR, floor, "/healthz", count, {200})]
        scenarios += [
            Scenario(
                f"Flask + {n} bare httpx calls `/calls/{n}`",
                calls,
                f"/calls/{n}",
                count,
                {200},
                note="pooled httpx.Client, no stackspin_clients",
                floor=FLOOR,
            )
            for n in (3, 4)
        ]
        scenarios += [
            Scenario(
                step.name,
                login,
                step.path,
                count,
                {step.status},
                headers=step.headers,
                note=step.note,
                floor=FLOOR,
            )
            for step in measured
        ]
        counts = Counts(
            backends.OryUrls(
                hydra_public_url=ory.hydra_public_url,
                hydra_admin_url=hydra_admin,
                kratos_public_url=kratos_public,
                kratos_admin_url=kratos_admin,
            ),
            None,
        )
        rows = [measure_with_cpu(scenario, counts) for scenario in scenarios]
    return report(rows, load_before, time.perf_counter() - began, plan)


def report(rows: list[tuple[Row, float]], load_before: str, seconds: float, plan: Plan) -> str:
    floor_cpu = {row.scenario.name: cpu for row, cpu in rows if row.scenario.floor is None}
    lines = table([row for row, _ in rows]).splitlines()
    lines[0] += " own CPU ms/req | CPU / floor |"
    lines[1] += " ---: | ---: |"
    for index, (row, cpu) in enumerate(rows, start=2):
        floor = floor_cpu.get(row.scenario.floor or "")
        ratio = f"{cpu / floor:.1f}" if floor else ""
        lines[index] += f" {cpu:.2f} | {ratio} |"
    command = "python -m devstack.bench --only login_steps" + (" --quick" if plan.quick else "")
    return f"""### login-service per sign-in step, upstreams replayed

{chr(10).join(lines)}

`{command}`, {seconds:.0f} s, 1-minute load average {load_before} at the start. login-service
and the Flask floor run under gunicorn with `login-service/gunicorn.conf.py`; Hydra admin,
Kratos admin and public and dashboard-api's consent decision are a replay server
(`devstack.bench.replay_server`) answering bytes recorded from the stand-ins and dashboard-api,
so the rows measure login-service's own code. Hydra's challenges are single-use in the real
sign-in, but the replay answers the recorded bytes every time, so one recorded challenge (and
one Kratos flow) is replayed for every request of its row. "own CPU ms/req" is the utime +
stime of the gunicorn workers (`/proc/<pid>/stat`, workers recycled meanwhile included through
the master's cutime + cstime) over the row, warm-up included, divided by its requests;
"Ory calls/req" counts the replay server's requests.
"""
