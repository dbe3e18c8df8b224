"""The processes a benchmark run measures: the Ory stand-ins in a process of their own and each
web app under gunicorn, all on 127.0.0.1; every one stopped when the run ends."""

from __future__ import annotations

import importlib
import json
import os
import secrets
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from devstack.ports import HOST, free_port

# Fallbacks mirroring login-service/gunicorn.conf.py and dashboard-api/gunicorn.conf.py, for when
# those files are not beside the installed packages.
GTHREAD_ARGS = [
    "--worker-class",
    "gthread",
    "--workers",
    "3",
    "--threads",
    "4",
    "--keep-alive",
    "5",
]
UVICORN_ARGS = [
    "--worker-class",
    "dashboard_api.serving.Worker",
    "--workers",
    "3",
    "--keep-alive",
    "5",
    "--max-requests",
    "5000",
    "--max-requests-jitter",
    "500",
]


def gunicorn_config(package: str) -> Path | None:
    """`<service>/gunicorn.conf.py` of this checkout beside `package` (the production settings)."""
    module = importlib.import_module(package)
    candidate = Path(str(module.__file__)).resolve().parents[2] / "gunicorn.conf.py"
    return candidate if candidate.is_file() else None


@dataclass
class Served:
    name: str
    port: int
    how: str
    process: subprocess.Popen[Any] | None = None
    health: str = "/healthz"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def wait(self) -> Served:
        """Return once the server answers its health path."""
        if self.process is not None:
            wait_until_answers(self.url + self.health, self.process)
        return self


def wait_until_answers(url: str, process: subprocess.Popen[Any], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2, trust_env=False).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def gunicorn(
    stack: ExitStack,
    name: str,
    app: str,
    *,
    asgi: bool,
    env: dict[str, str] | None = None,
    health: str = "/healthz",
    port: int | None = None,
    log_dir: Path,
    python: Path | None = None,
) -> Served:
    """Start `gunicorn app` as production does (its logs to `log_dir/<name>.log`) with `python`
    (this interpreter unless given: another environment's); stopped (SIGTERM) when `stack`
    closes. `.wait()` on the result for it to answer."""
    port = port or free_port()
    bind = f"{HOST}:{port}"
    interpreter = str(python or sys.executable)
    args = [interpreter, "-m", "gunicorn", app, "--bind", bind, "--log-level", "warning"]
    if asgi:
        config = gunicorn_config("dashboard_api")
        args += ["-c", str(config)] if config else UVICORN_ARGS
        how = "gunicorn, 3 uvicorn workers"
    else:
        config = gunicorn_config("login_service")
        args += ["-c", str(config)] if config else GTHREAD_ARGS
        how = "gunicorn gthread, 3 workers x 4 threads"
    process_env = {
        **os.environ,
        **(env or {}),
        "GUNICORN_BIND": bind,
        "GUNICORN_LOG_LEVEL": "warning",
    }
    log = stack.enter_context((log_dir / f"{name}.log").open("w"))
    process = subprocess.Popen(  # noqa: S603 (our own argv)
        args, env=process_env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
    )
    stack.callback(_terminate, process)
    return Served(name, port, how, process, health)


def _terminate(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class OryUrls:
    hydra_public_url: str
    hydra_admin_url: str
    kratos_public_url: str
    kratos_admin_url: str


def ory_stand_ins(stack: ExitStack, login_base_url: str, kratos_database: Path) -> OryUrls:
    """Hydra and Kratos stand-ins in a process of their own (they would otherwise compete with
    the load generator for this process's GIL), with Hydra's UI pointed at `login_base_url`
    and Kratos's state in the SQLite file `kratos_database`."""
    process = subprocess.Popen(  # noqa: S603 (our own argv)
        [
            sys.executable,
            "-m",
            "devstack.bench.ory_process",
            login_base_url,
            str(kratos_database),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    stack.callback(_close_ory, process)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        raise RuntimeError("the Ory stand-ins did not start")
    return OryUrls(**json.loads(line))


def ory_requests(url: str) -> dict[str, int]:
    """How many requests each stand-in has served so far (see `ory_process`)."""
    counts: dict[str, int] = httpx.get(url + "/__bench/requests", trust_env=False).json()
    return counts


def _close_ory(process: subprocess.Popen[str]) -> None:
    if process.stdin is not None:
        process.stdin.close()  # the process stops when its stdin closes
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def dashboard_env(
    ory: OryUrls, *, database_url: str, internal_token: str, client_id: str, client_secret: str
) -> dict[str, str]:
    """dashboard-api's settings for a bench run against `ory` (stand-ins or their replay)."""
    return {
        "DASHBOARD_ENVIRONMENT": "development",
        "DASHBOARD_SECRET_KEY": secrets.token_urlsafe(24),
        "DASHBOARD_DATABASE_URL": database_url,
        "DASHBOARD_HYDRA_ADMIN_URL": ory.hydra_admin_url,
        "DASHBOARD_HYDRA_PUBLIC_URL": ory.hydra_public_url,
        "DASHBOARD_KRATOS_ADMIN_URL": ory.kratos_admin_url,
        "DASHBOARD_KRATOS_PUBLIC_URL": ory.kratos_public_url,
        "DASHBOARD_INTERNAL_TOKEN": internal_token,
        "DASHBOARD_OAUTH_CLIENT_ID": client_id,
        "DASHBOARD_OAUTH_CLIENT_SECRET": client_secret,
    }
