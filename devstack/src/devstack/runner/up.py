"""`DevStack`: everything of `make dev` in one process, state under .devstack/.

Order matters: Hydra and Kratos first (the seed talks to them), then the Hydra clients and the
admin, then dashboard-api (dashboard_api.bootstrap seeds its database), login-service, and last
the router, so http://localhost:8080 answers only once everything behind it is there.
"""

from __future__ import annotations

import json
import logging
import os
import shlex
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from devstack import hydra, kratos
from devstack.dashboard_frontend import DIST as DASHBOARD_DIST
from devstack.demo import DemoConfig
from devstack.demo import create_app as create_demo_app
from devstack.router import Router, Upstreams
from devstack.runner import seed, services
from devstack.runner.state import FILE, Secrets
from devstack.serve import AsgiServers, RunningServer, start_wsgi
from devstack.stack import OryStack, OryStackBase
from devstack.static_site import is_built

log = logging.getLogger("devstack.runner")
KRATOS_MIN_PASSWORD_LENGTH = 10  # deploy/ory/kratos.yml
RUNNING_FILE = "running.json"


@dataclass(frozen=True)
class Ports:
    """The fixed ports the README and docs/ name (router 8080); 0 picks a free one (tests)."""

    router: int = 8080
    login_service: int = 5000
    dashboard_api: int = 8000
    hydra_public: int = 4444
    hydra_admin: int = 4445
    kratos_public: int = 4433
    kratos_admin: int = 4434
    smtp: int = 1025


@dataclass
class Status:
    """What is up after `start()`, and what is not (service → reason)."""

    public_url: str = ""
    admin_email: str = ""
    admin_password: str = ""
    admin_id: str = ""
    smtp_port: int = 0
    # What the admin CLI needs to work on this stack's state (printed as an export line).
    cli_env: dict[str, str] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)


class DevStack:
    def __init__(
        self,
        state_dir: Path,
        ports: Ports | None = None,
        *,
        admin_email: str | None = None,
        admin_password: str | None = None,
        public_host: str = "localhost",
        verbose: bool = False,
        ory: str = "standin",
    ) -> None:
        if ory not in ("standin", "real"):
            raise ValueError(f"ory must be standin or real, not {ory!r}")
        self.ory_backend = ory
        self.state_dir = state_dir.resolve()
        self.ports = ports or Ports()
        self._admin_email = admin_email
        self._admin_password = admin_password
        self._public_host = public_host
        # The services' request logs only with -v: they would bury the banner.
        self._log_level = "INFO" if verbose else "WARNING"
        self.status = Status()
        self.ory: OryStackBase | None = None
        self._asgi = AsgiServers()
        self._router_servers = AsgiServers()
        self._login: RunningServer | None = None

    def start(self) -> Status:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        # Without secrets.json (deleted, or a first run) the password printed is new: set it even
        # when Kratos's database already holds the admin.
        fresh = not (self.state_dir / FILE).exists()
        secrets = Secrets.load(self.state_dir)
        reset_password = self._choose_admin(secrets) or fresh
        # Bind the router first: with port 0 the public URL (Hydra's issuer) depends on it.
        router_sock = self._router_servers.bind(self.ports.router)
        public = f"http://{self._public_host}:{router_sock.getsockname()[1]}"
        self.status.public_url = public
        # dashboard-api's too: Kratos's settings web_hook names it.
        dashboard_sock = self._asgi.bind(self.ports.dashboard_api)
        dashboard_url = f"http://127.0.0.1:{dashboard_sock.getsockname()[1]}"

        self.ory = ory = self._ory_stack(public, secrets, dashboard_url).start()
        self.status.smtp_port = ory.smtp_port
        ory.kratos_config.admin_url = ory.kratos_admin_url + "/"

        self.status.admin_id = seed.ensure_admin(
            ory.kratos_admin_url, secrets.admin_email, secrets.admin_password, reset=reset_password
        )
        dashboard_client = seed.ensure_client(
            ory.hydra_admin_url,
            secrets.clients.get("dashboard"),
            name="dashboard",
            redirect_uri=f"{public}/api/v1/auth/callback",
            post_logout_redirect_uri=f"{public}/",
            scope="openid offline_access email profile",
        )
        demo_client = seed.ensure_client(
            ory.hydra_admin_url,
            secrets.clients.get("demo"),
            name="demo",
            redirect_uri=f"{public}/demo/callback",
            post_logout_redirect_uri=f"{public}/demo/logged-out",
            scope="openid email profile",
        )
        secrets.clients.update(dashboard=dashboard_client, demo=demo_client)
        secrets.save(self.state_dir)
        self.status.admin_email = secrets.admin_email
        self.status.admin_password = secrets.admin_password

        wiring = services.Wiring(
            public_url=public,
            hydra_public_url=ory.hydra_public_url,
            hydra_admin_url=ory.hydra_admin_url,
            kratos_public_url=ory.kratos_public_url,
            kratos_admin_url=ory.kratos_admin_url,
            dashboard_url=dashboard_url,
            smtp_url=f"smtp://127.0.0.1:{ory.smtp_port}",
            database_url=f"sqlite:///{self.state_dir / 'dashboard.sqlite3'}",
        )
        self.status.cli_env = {
            "DASHBOARD_DATABASE_URL": wiring.database_url,
            "DASHBOARD_HYDRA_ADMIN_URL": wiring.hydra_admin_url,
            "DASHBOARD_KRATOS_ADMIN_URL": wiring.kratos_admin_url,
            "DASHBOARD_SMTP_URL": wiring.smtp_url,
        }
        upstreams = Upstreams(
            kratos_public=ory.kratos_public_url,
            hydra_public=ory.hydra_public_url,
            mail=ory.mail.app,
            demo=create_demo_app(
                DemoConfig(
                    issuer=f"{public}/",
                    client_id=demo_client.client_id,
                    client_secret=demo_client.client_secret,
                    public_url=public,
                    session_secret=secrets.demo_session_secret,
                )
            ),
        )
        try:
            dashboard_settings = services.dashboard_settings(
                wiring, secrets, dashboard_client, log_level=self._log_level
            )
            services.seed_dashboard(
                dashboard_settings,
                admin_subject=self.status.admin_id,
                dashboard_client=dashboard_client,
                demo_client=demo_client,
                demo_url=f"{public}/demo/",
            )
            self._asgi.add(
                "dashboard-api", services.dashboard_app(dashboard_settings), sock=dashboard_sock
            )
            self._asgi.start()
            upstreams.dashboard_api = wiring.dashboard_url
        except services.ServiceUnavailableError as exc:
            self.status.missing["dashboard-api"] = str(exc)
        try:
            login = services.login_app(wiring, secrets, log_level=self._log_level)
            self._login = start_wsgi(login, port=self.ports.login_service)
            upstreams.login_service = self._login.url
        except services.ServiceUnavailableError as exc:
            self.status.missing["login-service"] = str(exc)

        router = Router(upstreams, dashboard=DASHBOARD_DIST)
        self._router_servers.add("router", router, sock=router_sock, trust_proxy=False)
        self._router_servers.start()
        self._write_running(wiring, upstreams)
        return self.status

    def _ory_stack(self, public: str, secrets: Secrets, dashboard_url: str) -> OryStackBase:
        """The stand-ins, or (ORY=real) real Hydra and Kratos on the same ports and configs."""
        ports: dict[str, Any] = {
            "hydra_public_port": self.ports.hydra_public,
            "hydra_admin_port": self.ports.hydra_admin,
            "kratos_public_port": self.ports.kratos_public,
            "kratos_admin_port": self.ports.kratos_admin,
            "smtp_port": self.ports.smtp,
        }
        mail = self.state_dir / "mail.sqlite3"
        if self.ory_backend == "real":
            from devstack.realory.configs import RunSecrets
            from devstack.realory.stack import RealOryStack

            return RealOryStack(
                self._hydra_config(public),
                self._kratos_config(public, secrets, dashboard_url),
                **ports,
                mail_database=mail,
                serve_mail_http=False,
                state_dir=self.state_dir,
                run_secrets=RunSecrets(
                    system=secrets.ory_system_secret,
                    cookie=secrets.ory_cookie_secret,
                    cipher=secrets.ory_cipher_secret,
                ),
            )
        return OryStack(
            self._hydra_config(public),
            self._kratos_config(public, secrets, dashboard_url),
            **ports,
            mail_database=mail,
            serve_mail_http=False,
        )

    def _write_running(self, wiring: services.Wiring, upstreams: Upstreams) -> None:
        """Where each part listens, for scripts and tests (removed again by `stop()`)."""
        assert self.ory is not None
        running = {
            "pid": os.getpid(),
            "public_url": wiring.public_url,
            "hydra_public_url": wiring.hydra_public_url,
            "hydra_admin_url": wiring.hydra_admin_url,
            "kratos_public_url": wiring.kratos_public_url,
            "kratos_admin_url": wiring.kratos_admin_url,
            "login_service_url": upstreams.login_service,
            "dashboard_api_url": upstreams.dashboard_api,
            "smtp_port": self.ory.smtp_port,
            "ory": self.ory_backend,
            "missing": self.status.missing,
        }
        (self.state_dir / RUNNING_FILE).write_text(json.dumps(running, indent=2))

    def stop(self) -> None:
        (self.state_dir / RUNNING_FILE).unlink(missing_ok=True)
        self._router_servers.stop()
        if self._login is not None:
            self._login.stop()
            self._login = None
        self._asgi.stop()
        if self.ory is not None:
            self.ory.stop()
            self.ory = None

    def _choose_admin(self, secrets: Secrets) -> bool:
        """Take the admin's email/password from the options when given; True when the password
        changed since the last run (so it is set again in Kratos)."""
        if self._admin_email:
            secrets.admin_email = self._admin_email
        if self._admin_password and self._admin_password != secrets.admin_password:
            secrets.admin_password = self._admin_password
            return True
        return False

    def _hydra_config(self, public: str) -> hydra.HydraConfig:
        return hydra.HydraConfig(
            issuer=f"{public}/",
            login_url=f"{public}/auth/login",
            consent_url=f"{public}/auth/consent",
            logout_url=f"{public}/auth/logout",
            post_logout_redirect_url=f"{public}/auth/logged-out",
            error_url=f"{public}/auth/error",
            database=str(self.state_dir / "hydra.sqlite3"),
        )

    def _kratos_config(
        self, public: str, secrets: Secrets, dashboard_url: str
    ) -> kratos.KratosConfig:
        config = kratos.KratosConfig(
            public_url=f"{public}/kratos/",
            default_return_url=f"{public}/",
            allowed_return_urls=[f"{public}/"],
            # As deploy/ory/kratos.yml: a recovery (an invitation too) ends on the dashboard.
            recovery_return_url=f"{public}/",
            logout_return_url=f"{public}/auth/logged-out",
            database=str(self.state_dir / "kratos.sqlite3"),
            min_password_length=KRATOS_MIN_PASSWORD_LENGTH,
            mail_from="no-reply@example.org",
            # As deploy/ory/kratos.yml: a saved profile is searchable in the dashboard at once.
            profile_hook_url=f"{dashboard_url}/internal/v1/kratos/identity-changed",
            profile_hook_token=secrets.kratos_hook_token,
        )
        for page in ("login", "registration", "recovery", "verification", "settings", "error"):
            setattr(config, f"{page}_ui_url", f"{public}/auth/{page}")
        return config


def banner(status: Status, state_dir: Path, out: TextIO, *, ory: str = "standin") -> None:
    """What a person needs after `make dev`: where to go and how to log in."""
    url = status.public_url
    if ory == "real":
        from devstack.realory.build import SERVERS

        what = (
            f"real Ory Hydra {SERVERS['hydra'].version} and Kratos {SERVERS['kratos'].version}"
            " with deploy/ory/*.yml"
        )
    else:
        what = "development stand-ins for Ory Hydra and Kratos"
    lines = [
        "",
        f"devstack is running ({what}; not for production)",
        "",
        f"  open            {url}/" + ("   (the dashboard)" if is_built(DASHBOARD_DIST) else ""),
        f"  demo app        {url}/demo/",
        f"  your account    {url}/auth/settings",
        f"  API docs        {url}/api/docs",
        f"  mails           {url}/mail/   (SMTP on 127.0.0.1:{status.smtp_port})",
        "",
        f"  admin login     {status.admin_email}",
        f"  admin password  {status.admin_password}",
        "",
        f"  state           {state_dir}  (delete it to start over)",
    ]
    if status.cli_env:
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in status.cli_env.items())
        lines += [
            "",
            "  admin CLI, in another terminal:",
            f"    export {exports}",
            "    uv run dashboard-api --help",
        ]
    for service, reason in status.missing.items():
        lines.append(f"  NOT RUNNING     {service}: {reason}")
    lines += ["", "Press Ctrl-C to stop.", f"devstack: ready at {url}", ""]
    out.write("\n".join(lines))
    out.flush()


def run_forever(stack: DevStack, out: TextIO, stop: threading.Event | None = None) -> None:
    """Start, print the banner, wait for Ctrl-C (or SIGTERM), stop everything."""
    import signal

    stop = stop or threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        status = stack.start()
        banner(status, stack.state_dir, out, ory=stack.ory_backend)
        while not stop.wait(0.5):
            pass
        out.write("devstack: stopping\n")
        out.flush()
    finally:
        stack.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    out.write("devstack: stopped\n")
    out.flush()
