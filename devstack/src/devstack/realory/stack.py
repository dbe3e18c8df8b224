"""`RealOryStack`: real Hydra and Kratos processes plus the mail catcher, like `OryStack`.

The same `HydraConfig` / `KratosConfig` objects describe the run (see `configs`); `apply()`
re-renders the overrides and restarts the servers whose config changed (a restart takes about
half a second: the databases stay). Tests get a fresh one per test (a copy of a migrated
template database); `make dev ORY=real` runs one on fixed ports with its databases in
`.devstack/`.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

from devstack import hydra, kratos
from devstack.mail import MailCatcher
from devstack.ports import steady_port
from devstack.realory import configs
from devstack.realory.process import (
    OryProcess,
    OryProcessError,
    fresh_database,
    migrate,
    sqlite_dsn,
)
from devstack.serve import AsgiServers
from devstack.stack import OryStackBase

_DEFAULT_KRATOS_ADMIN = kratos.KratosConfig().admin_url


def new_secrets() -> configs.RunSecrets:
    return configs.RunSecrets(
        system=secrets.token_urlsafe(32),
        cookie=secrets.token_urlsafe(32),
        cipher=secrets.token_hex(16),  # 32 characters, as Kratos's cipher needs
    )


class RealOryStack(OryStackBase):
    """Real Hydra and Kratos (built by `devstack.realory.build`), and the mail catcher.

    Without configs it is set up like `OryStack()` for tests: the issuer and the Kratos base URL
    are the servers' own loopback URLs, argon2 cheap, mails to the mail catcher. `state_dir`
    keeps the databases between runs (`make dev`); without it a temporary folder holds fresh
    copies and is removed by `stop()`.
    """

    backend = "real"

    def __init__(
        self,
        hydra_config: hydra.HydraConfig | None = None,
        kratos_config: kratos.KratosConfig | None = None,
        *,
        hydra_public_port: int = 0,
        hydra_admin_port: int = 0,
        kratos_public_port: int = 0,
        kratos_admin_port: int = 0,
        smtp_port: int = 0,
        mail_database: str | Path = ":memory:",
        serve_mail_http: bool = True,
        state_dir: Path | None = None,
        run_secrets: configs.RunSecrets | None = None,
    ) -> None:
        self._take_configs(hydra_config, kratos_config)
        ports = (hydra_public_port, hydra_admin_port, kratos_public_port, kratos_admin_port)
        self._wanted_ports = ports
        self._ports = tuple(port or steady_port() for port in ports)
        self.mail = MailCatcher(smtp_port=smtp_port, database=mail_database)
        self._serve_mail_http = serve_mail_http
        self._mail_servers = AsgiServers()
        self._state_dir = state_dir
        self._workdir = state_dir or Path(tempfile.mkdtemp(prefix="real-ory-"))
        self._secrets = run_secrets or new_secrets()
        urls = [f"http://127.0.0.1:{port}" for port in self._ports]
        self.hydra_public_url, self.hydra_admin_url = urls[0], urls[1]
        self.kratos_public_url, self.kratos_admin_url = urls[2], urls[3]
        self.mail_url = ""
        self._processes: dict[str, OryProcess] = {}
        self._picked_kratos_admin = ""
        self._rendered: dict[str, dict[str, Any]] = {}

    @property
    def logs(self) -> dict[str, Path]:
        """Each server's log file (stdout and stderr)."""
        return {name: self._workdir / f"{name}.log" for name in ("hydra", "kratos")}

    @property
    def pids(self) -> dict[str, int | None]:
        """The process id of each running server (a restart by `apply()` changes it)."""
        return {name: process.pid for name, process in self._processes.items()}

    def _point_own_urls(self) -> None:
        if self._own_hydra_config:
            self.hydra_config.issuer = self.hydra_public_url + "/"
        if self._own_kratos_config:
            self.kratos_config.public_url = self.kratos_public_url + "/"
        if self._own_kratos_config or self.kratos_config.admin_url in (
            _DEFAULT_KRATOS_ADMIN,
            self._picked_kratos_admin,
        ):
            self.kratos_config.admin_url = self.kratos_admin_url + "/"
        self._picked_kratos_admin = self.kratos_config.admin_url

    def _repick_ports(self) -> None:
        """New free ports for those chosen at random: one was taken between the pick and the
        server's bind (another process on the machine)."""
        self._ports = tuple(wanted or steady_port() for wanted in self._wanted_ports)
        urls = [f"http://127.0.0.1:{port}" for port in self._ports]
        self.hydra_public_url, self.hydra_admin_url = urls[0], urls[1]
        self.kratos_public_url, self.kratos_admin_url = urls[2], urls[3]
        self._point_own_urls()
        if self.ui_url is not None:
            self._point_ui(self.ui_url)

    def _apply_with_free_ports(self, tries: int = 3) -> None:
        for attempt in range(tries):
            try:
                self.apply()
                return
            except OryProcessError as exc:
                random_ports = not all(self._wanted_ports)
                if "address already in use" not in str(exc) or not random_ports:
                    raise
                if attempt == tries - 1:
                    raise
                self._repick_ports()

    def start(self) -> RealOryStack:
        self._point_own_urls()
        if self.ui_url is not None:
            self._point_ui(self.ui_url)
        try:
            self.mail.start()
            if self.kratos_config.smtp_url is None:
                self.kratos_config.smtp_url = self.mail.smtp_url
            if self._serve_mail_http:
                self.mail_url = self._mail_servers.add("mail", self.mail.app).url + "/mail"
                self._mail_servers.start()
            for name in ("hydra", "kratos"):
                self._prepare_database(name)
            self._apply_with_free_ports()
        except BaseException:
            self.stop()
            raise
        return self

    def _database(self, name: str) -> Path:
        return self._workdir / f"{name}-real.sqlite3"

    def _prepare_database(self, name: str) -> None:
        database = self._database(name)
        if self._state_dir is None:
            fresh_database(name, database)
        else:  # kept between runs: bring it up to this build's migrations
            migrate(name, database, self.logs[name])

    def _overrides(self, name: str) -> dict[str, Any]:
        dsn = sqlite_dsn(self._database(name), serving=True)
        if name == "hydra":
            return configs.hydra_overrides(
                self.hydra_config,
                listen=configs.Listen(self._ports[0], self._ports[1]),
                admin_url=self.hydra_admin_url + "/",
                dsn=dsn,
                secrets=self._secrets,
            )
        return configs.kratos_overrides(
            self.kratos_config,
            listen=configs.Listen(self._ports[2], self._ports[3]),
            dsn=dsn,
            secrets=self._secrets,
        )

    def apply(self) -> None:
        """(Re)start each server whose rendered config differs from what it runs with; Hydra
        and Kratos stop, start and get ready side by side."""
        changed: dict[str, dict[str, Any]] = {}
        for name in ("hydra", "kratos"):
            overrides = self._overrides(name)
            running = self._processes.get(name)
            if running is None or not running.running or self._rendered.get(name) != overrides:
                changed[name] = overrides
        old = [self._processes.pop(name) for name in changed if name in self._processes]
        _stop_all(old)
        for name, overrides in changed.items():
            self._rendered.pop(name, None)
            path = configs.write(self._workdir / f"{name}-overrides.json", overrides)
            hydra = name == "hydra"
            process = OryProcess(
                name,
                [configs.DEPLOY_ORY / f"{name}.yml", path],
                admin_url=self.hydra_admin_url if hydra else self.kratos_admin_url,
                public_url=self.hydra_public_url if hydra else self.kratos_public_url,
                log=self.logs[name],
            )
            process.spawn()
            self._processes[name] = process
        for name, overrides in changed.items():
            self._processes[name].wait_ready()
            self._rendered[name] = overrides

    def stop(self) -> None:
        _stop_all(list(self._processes.values()))
        self._processes.clear()
        self._rendered.clear()
        self._mail_servers.stop()
        self.mail.stop()
        if self._state_dir is None:
            shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> RealOryStack:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def _stop_all(processes: list[OryProcess]) -> None:
    """SIGTERM to all first, then wait for each: they shut down side by side."""
    for process in processes:
        process.terminate()
    for process in processes:
        process.stop()
