"""The whole single sign-on stack as in production, on loopback: Hydra and Kratos (the devstack
stand-ins or the real servers, see `start_sso_stack(backend=...)`), dashboard-api under gunicorn
(uvicorn workers) on MariaDB, login-service under gunicorn, and real nginx with the repo's proxy
config in front of all of them, serving the built dashboard frontend (dashboard/dist) at `/`.

Hydra's issuer and Kratos's public URL are the nginx URL, so cookies and redirects line up
exactly as behind the production proxy.
"""

from __future__ import annotations

import json
import secrets
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from devstack.hydra import HydraConfig
from devstack.kratos import KratosConfig
from devstack.ports import steady_port
from devstack.realory.stack import RealOryStack
from devstack.stack import OryStack, OryStackBase
from devstack.testing import databases
from stackspin_clients import ClientConfig, HydraAdmin, KratosAdmin
from stackspin_clients.models import CreateIdentity, OAuth2Client

from devstack import dashboard_frontend
from stack_harness.nginx import RunningNginx, start_nginx
from stack_harness.ports import free_port
from stack_harness.processes import RunningProcess, run_cli, run_click_commands, start_gunicorn

REPO = Path(__file__).resolve().parents[2]
# The demo app's redirect target: never contacted, the test browser stops there.
APP_ORIGIN = "http://127.0.0.1:9"
CALLBACK = f"{APP_ORIGIN}/callback"
PASSWORD = "correct horse battery staple 42"


@dataclass
class TestClient:
    client_id: str
    client_secret: str


@dataclass
class SsoStack:
    url: str
    ory: OryStackBase
    nginx: RunningNginx
    login_service: RunningProcess
    dashboard_api: RunningProcess
    hydra: HydraAdmin
    kratos: KratosAdmin
    dashboard_env: dict[str, str]
    demo_client: TestClient
    scripts_client: TestClient
    admin_id: str
    admin_email: str
    artifacts: Path
    _exit: ExitStack = field(repr=False)

    def dashboard_cli(self, *args: str) -> str:
        return run_cli("dashboard-api", list(args), env=self.dashboard_env).stdout

    def create_user(
        self, *, password: str = PASSWORD, name: str = "Ada Lovelace"
    ) -> tuple[str, str]:
        """A Kratos identity with a password (what an admin-created, activated user looks like)."""
        email = f"user-{secrets.token_hex(4)}@example.org"
        identity = self.kratos.create_identity(
            CreateIdentity(
                traits={"email": email, "name": name},
                credentials={"password": {"config": {"password": password}}},
            )
        )
        return identity.id, email

    def api_session(self, email: str, *, password: str = PASSWORD) -> str:
        """A Kratos session token from the API login flow (no browser), through nginx."""
        with httpx.Client(base_url=f"{self.url}/kratos", timeout=15) as kratos:
            flow = kratos.get("/self-service/login/api").json()
            done = kratos.post(
                f"/self-service/login?flow={flow['id']}",
                json={"method": "password", "identifier": email, "password": password},
            )
            assert done.status_code == 200, done.text
            token: str = done.json()["session_token"]
            return token

    def close(self) -> None:
        self._exit.close()


def _create_client(hydra: HydraAdmin, name: str, redirect_uris: list[str]) -> TestClient:
    created = hydra.create_oauth2_client(
        OAuth2Client(
            client_name=name,
            redirect_uris=redirect_uris,
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            scope="openid email profile offline_access",
            token_endpoint_auth_method="client_secret_basic",
        )
    )
    assert created.client_id
    assert created.client_secret
    return TestClient(created.client_id, created.client_secret)


def _wait_ready(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            response = httpx.get(url, timeout=3)
            if response.status_code == 200:
                return
            last = f"{response.status_code} {response.text[:300]}"
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(0.2)
    raise TimeoutError(f"{url} not ready: {last}")


def start_sso_stack(workdir: Path, artifacts: Path, *, backend: str = "standin") -> SsoStack:
    """Start everything on the Ory `backend` ("standin" or "real"); the caller must `close()`
    the result."""
    exit_stack = ExitStack()
    try:
        return _start(workdir, artifacts, exit_stack, backend)
    except BaseException:
        exit_stack.close()
        raise


def _ory_stack(backend: str, base: str) -> OryStack | RealOryStack:
    """Hydra and Kratos behind nginx at `base`, not yet started."""
    hydra_config = HydraConfig(issuer=f"{base}/")
    kratos_config = KratosConfig(
        public_url=f"{base}/kratos/",
        # Cheap hashing: the tests measure flows, not argon2.
        argon2_memory_kib=1024,
        argon2_iterations=1,
        argon2_parallelism=1,
    )
    if backend == "real":
        return RealOryStack(hydra_config, kratos_config)
    if backend != "standin":
        raise ValueError(f"unknown Ory backend {backend!r}")
    return OryStack(hydra_config, kratos_config)


def _start(workdir: Path, artifacts: Path, exit_stack: ExitStack, backend: str) -> SsoStack:
    nginx_port = free_port()
    base = f"http://127.0.0.1:{nginx_port}"

    ory = _ory_stack(backend, base).start()  # each cleans up after itself when start fails
    exit_stack.callback(ory.stop)
    ory.kratos_config.admin_url = ory.kratos_admin_url + "/"
    # As deploy/ory/kratos.yml: after a recovery (an invitation too) the new password leads to
    # the dashboard. Set before point_ui_at, whose apply() restarts real Kratos once.
    ory.kratos_config.recovery_return_url = f"{base}/"
    # As deploy/ory/kratos.yml: a saved profile tells dashboard-api (started below, on a port
    # chosen now) at once, with a token of its own.
    dashboard_port = steady_port()
    hook_token = secrets.token_urlsafe(32)
    ory.kratos_config.profile_hook_url = (
        f"http://127.0.0.1:{dashboard_port}/internal/v1/kratos/identity-changed"
    )
    ory.kratos_config.profile_hook_token = hook_token
    ory.point_ui_at(base)

    hydra = HydraAdmin(ClientConfig(base_url=ory.hydra_admin_url))
    kratos = KratosAdmin(ClientConfig(base_url=ory.kratos_admin_url))
    exit_stack.callback(hydra.close)
    exit_stack.callback(kratos.close)

    database_url = exit_stack.enter_context(databases.empty_database("mariadb", workdir))
    dashboard_client = _create_client(hydra, "Dashboard", [f"{base}/api/v1/auth/callback"])
    scripts_client = _create_client(hydra, "Admin scripts", [CALLBACK])
    demo_client = _create_client(hydra, "Demo", [CALLBACK])

    admin_email = f"admin-{secrets.token_hex(4)}@example.org"
    admin = kratos.create_identity(
        CreateIdentity(
            traits={"email": admin_email, "name": "Grace Admin"},
            credentials={"password": {"config": {"password": PASSWORD}}},
        )
    )

    internal_token = secrets.token_urlsafe(32)
    dashboard_env = {
        "DASHBOARD_ENVIRONMENT": "production",
        "DASHBOARD_SECRET_KEY": secrets.token_urlsafe(32),
        "DASHBOARD_DATABASE_URL": database_url,
        "DASHBOARD_PUBLIC_URL": base,
        "DASHBOARD_HYDRA_ADMIN_URL": ory.hydra_admin_url,
        "DASHBOARD_HYDRA_PUBLIC_URL": ory.hydra_public_url,
        "DASHBOARD_KRATOS_ADMIN_URL": ory.kratos_admin_url,
        "DASHBOARD_KRATOS_PUBLIC_URL": ory.kratos_public_url,
        "DASHBOARD_INTERNAL_TOKEN": internal_token,
        "DASHBOARD_KRATOS_HOOK_TOKEN": hook_token,
        "DASHBOARD_OAUTH_CLIENT_ID": dashboard_client.client_id,
        "DASHBOARD_OAUTH_CLIENT_SECRET": dashboard_client.client_secret,
        "DASHBOARD_SMTP_URL": f"smtp://127.0.0.1:{ory.smtp_port}",
        "DASHBOARD_MAIL_FROM": "Stackspin <no-reply@example.org>",
    }
    logs = artifacts / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    dashboard_api = start_gunicorn(
        "dashboard-api",
        # The production gunicorn settings (uvicorn workers), two workers here.
        ["--config", str(REPO / "dashboard-api" / "gunicorn.conf.py"), "--workers", "2"],
        env=dashboard_env,
        log_dir=logs,
        port=dashboard_port,
    )
    exit_stack.callback(dashboard_api.stop)

    login_env = {
        "LOGIN_ENVIRONMENT": "production",
        "LOGIN_SECRET_KEY": secrets.token_urlsafe(32),
        "LOGIN_PUBLIC_URL": base,
        "LOGIN_HYDRA_ADMIN_URL": ory.hydra_admin_url,
        "LOGIN_KRATOS_PUBLIC_URL": ory.kratos_public_url,
        "LOGIN_KRATOS_BROWSER_URL": f"{base}/kratos",
        "LOGIN_KRATOS_ADMIN_URL": ory.kratos_admin_url,
        "LOGIN_DASHBOARD_INTERNAL_URL": dashboard_api.url,
        "LOGIN_DASHBOARD_INTERNAL_TOKEN": internal_token,
        "LOGIN_ALLOWED_RETURN_URLS": f"{APP_ORIGIN}/",
        "LOGIN_PROXY_HOPS": "1",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_FORWARDED_ALLOW_IPS": "127.0.0.1",
    }
    login_service = start_gunicorn(
        "login-service",
        ["--config", str(REPO / "login-service" / "gunicorn.conf.py"), "login_service.wsgi:app"],
        env=login_env,
        log_dir=logs,
    )
    exit_stack.callback(login_service.stop)

    # The workers boot (imports) while the CLI migrates and seeds the database.
    cli = [
        ["migrate"],
        [
            "seed",
            "--admin-subject",
            admin.id,
            "--dashboard-client-id",
            dashboard_client.client_id,
        ],
        ["app", "add-client", "dashboard", "--client-id", scripts_client.client_id],
        ["app", "create", "demo", "--name", "Demo", "--url", f"{APP_ORIGIN}/"],
        ["app", "add-client", "demo", "--client-id", demo_client.client_id],
        ["user", "set-role", admin.id, "demo", "admin"],
    ]
    run_click_commands("dashboard_api.cli:main", cli, env=dashboard_env)

    # The dashboard frontend at `/`, as in production (the build is skipped when dist is fresh).
    dashboard_frontend.build()
    nginx = start_nginx(
        workdir / "nginx",
        port=nginx_port,
        static_root=dashboard_frontend.DIST,
        login_service=f"127.0.0.1:{login_service.port}",
        dashboard_api=f"127.0.0.1:{dashboard_api.port}",
        kratos_public=ory.kratos_public_url.removeprefix("http://"),
        hydra_public=ory.hydra_public_url.removeprefix("http://"),
    )
    exit_stack.callback(nginx.stop)

    _wait_ready(f"{dashboard_api.url}/readyz")
    _wait_ready(f"{login_service.url}/readyz")
    return SsoStack(
        url=base,
        ory=ory,
        nginx=nginx,
        login_service=login_service,
        dashboard_api=dashboard_api,
        hydra=hydra,
        kratos=kratos,
        dashboard_env=dashboard_env,
        demo_client=demo_client,
        scripts_client=scripts_client,
        admin_id=admin.id,
        admin_email=admin_email,
        artifacts=artifacts,
        _exit=exit_stack,
    )


def log_lines_with(text: str, needle: str) -> list[dict[str, Any] | str]:
    """Lines of a service log that mention `needle` (parsed when they are JSON)."""
    found: list[dict[str, Any] | str] = []
    for line in text.splitlines():
        if needle in line:
            try:
                found.append(json.loads(line))
            except ValueError:
                found.append(line)
    return found
