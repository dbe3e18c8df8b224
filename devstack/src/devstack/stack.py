"""`OryStack`: Hydra and Kratos stand-ins plus the mail catcher, on loopback ports, in threads.

Tests get one per test from the `ory_stack` fixture (in-memory state, random ports); the make-dev
runner builds one with fixed ports, SQLite files and its own configs. `devstack.realory.stack`
has the same interface (`OryStackBase`) around the real servers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

import httpx

from devstack import hydra, kratos
from devstack.clock import Clock
from devstack.mail import MailCatcher
from devstack.serve import AsgiServers

UI_PAGES = ("login", "registration", "recovery", "verification", "settings", "error")
# An ASGI middleware for one of the stand-ins' apps, given its name: "hydra-public",
# "hydra-admin", "kratos-public", "kratos-admin" or "mail"; it returns the app to serve.
AppWrapper = Callable[[str, Any], Any]


class OryStackBase:
    """What a test or the runner uses of a stack, whichever backend serves it.

    `hydra_config` and `kratos_config` describe the run; after changing a field, call `apply()`
    (the stand-ins read them per request, so there it does nothing; real Ory restarts).
    """

    backend = "standin"
    hydra_config: hydra.HydraConfig
    kratos_config: kratos.KratosConfig
    mail: MailCatcher
    hydra_public_url: str
    hydra_admin_url: str
    kratos_public_url: str
    kratos_admin_url: str
    mail_url: str
    # Where the browser redirects go, set before start(): start() points the UI there (as
    # point_ui_at, without restarting real Ory). The `ory_ui_url` fixture sets it.
    ui_url: str | None = None

    def _take_configs(
        self, hydra_config: hydra.HydraConfig | None, kratos_config: kratos.KratosConfig | None
    ) -> None:
        """The given configs, or the test defaults (the stack fills in its own URLs at start;
        argon2 made cheap: the tests measure flows, not hashing)."""
        self._own_hydra_config = hydra_config is None
        self._own_kratos_config = kratos_config is None
        self.hydra_config = hydra_config or hydra.HydraConfig()
        self.kratos_config = kratos_config or kratos.KratosConfig(
            argon2_memory_kib=1024, argon2_iterations=1, argon2_parallelism=1
        )

    @property
    def smtp_port(self) -> int:
        return self.mail.smtp_port

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def apply(self) -> None:
        """Make config changes take effect."""

    def let_time_pass(self, seconds: float) -> None:
        """Make `seconds` pass for Hydra and Kratos (a flow, session or token expiring): real
        Ory has only the wall clock, so this sleeps; the stand-ins move their clock instead."""
        time.sleep(seconds)

    def let_the_courier_send(self) -> None:
        """Before checking that no (further) mail came: real Kratos's courier sends from a queue
        it polls about once a second, so this waits 3 s; the stand-in sends within the request."""
        time.sleep(3)

    def time(self) -> float:
        """What time it is for Hydra and Kratos, in seconds since the epoch (the wall clock for
        real Ory): the clock to give a service under test that compares their times with its
        own, so that `let_time_pass` moves it too."""
        return time.time()

    def point_ui_at(self, base_url: str) -> None:
        """Send Hydra's and Kratos's browser redirects to the login-service at `base_url`:
        `{base}/auth/login`, `/auth/consent`, `/auth/logout`, `/auth/logged-out`, `/auth/error`,
        and Kratos's `/auth/<flow>` pages; `base` becomes an allowed return URL."""
        self._point_ui(base_url)
        self.apply()

    def _point_ui(self, base_url: str) -> None:
        base = base_url.rstrip("/")
        hc = self.hydra_config
        hc.login_url = f"{base}/auth/login"
        hc.consent_url = f"{base}/auth/consent"
        hc.logout_url = f"{base}/auth/logout"
        hc.post_logout_redirect_url = f"{base}/auth/logged-out"
        hc.error_url = f"{base}/auth/error"
        kc = self.kratos_config
        for page in UI_PAGES:
            setattr(kc, f"{page}_ui_url", f"{base}/auth/{page}")
        kc.default_return_url = f"{base}/auth/login"
        kc.logout_return_url = f"{base}/auth/logged-out"  # as deploy/ory/kratos.yml
        if kc.recovery_return_url is None:  # deploy sends it to the dashboard, absent here
            kc.recovery_return_url = f"{base}/auth/settings"
        allowed = [f"{base}/", self.hydra_config.public_base()]
        kc.allowed_return_urls = [
            *kc.allowed_return_urls,
            *(url for url in allowed if url not in kc.allowed_return_urls),
        ]

    def mails(self, to: str | None = None) -> list[dict[str, Any]]:
        """Caught mails, newest first, read over HTTP from `{mail_url}/api/messages`."""
        params = {"to": to} if to else None
        response = httpx.get(f"{self.mail_url}/api/messages", params=params, timeout=5)
        response.raise_for_status()
        mails: list[dict[str, Any]] = response.json()
        return mails

    def wait_for_mails(
        self, to: str, count: int = 1, timeout: float = 20.0
    ) -> list[dict[str, Any]]:
        """`mails(to)` once at least `count` have arrived (real Kratos's courier sends from a
        queue it polls about once a second; the stand-in sends at once)."""
        deadline = time.monotonic() + timeout
        while True:
            mails = self.mails(to=to)
            if len(mails) >= count or time.monotonic() > deadline:
                return mails
            time.sleep(0.1)


class OryStack(OryStackBase):
    """Hydra public/admin, Kratos public/admin and a mail catcher (SMTP + HTTP).

    URLs have no trailing slash. `mail_url` includes the `/mail` prefix: the page is
    `{mail_url}/`, the JSON list `{mail_url}/api/messages` (see `mails()`).

    Without configs, the stand-ins are set up for tests: in-memory state, the Hydra issuer and the
    Kratos public base URL are their own loopback URLs, argon2 made cheap, Kratos mails sent to
    the mail catcher. Given configs are used as they are, except a Kratos `smtp_url` of None,
    which is pointed at the mail catcher.

    `wrap(name, app)` puts a test's own middleware in front of each app (a recorder of the
    requests Kratos admin receives, a gate that makes it answer 503): what the test sees is the
    stand-in server behind that middleware, on the same URL.
    """

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
        wrap: AppWrapper | None = None,
    ) -> None:
        self._servers = AsgiServers()
        self._wrap = wrap
        # The stand-ins' one clock (devstack.clock), moved by let_time_pass.
        self.clock = Clock()
        self._take_configs(hydra_config, kratos_config)
        self._ports = (hydra_public_port, hydra_admin_port, kratos_public_port, kratos_admin_port)
        self.mail = MailCatcher(smtp_port=smtp_port, database=mail_database)
        self._serve_mail_http = serve_mail_http
        self.hydra_public_url = self.hydra_admin_url = ""
        self.kratos_public_url = self.kratos_admin_url = ""
        self.mail_url = ""
        self._started = False

    def start(self) -> OryStack:
        sockets = [self._servers.bind(port) for port in self._ports]
        urls = [f"http://127.0.0.1:{sock.getsockname()[1]}" for sock in sockets]
        self.hydra_public_url, self.hydra_admin_url = urls[0], urls[1]
        self.kratos_public_url, self.kratos_admin_url = urls[2], urls[3]
        if self._own_hydra_config:
            self.hydra_config.issuer = self.hydra_public_url + "/"
        if self._own_kratos_config:
            self.kratos_config.public_url = self.kratos_public_url + "/"
            self.kratos_config.admin_url = self.kratos_admin_url + "/"
        if self.ui_url is not None:
            self._point_ui(self.ui_url)
        try:
            self.mail.start()
            if self.kratos_config.smtp_url is None:
                self.kratos_config.smtp_url = self.mail.smtp_url
            hydra_public, hydra_admin = hydra.create_apps(self.hydra_config, clock=self.clock)
            kratos_public, kratos_admin = kratos.create_apps(self.kratos_config, clock=self.clock)
            apps = [
                ("hydra-public", hydra_public),
                ("hydra-admin", hydra_admin),
                ("kratos-public", kratos_public),
                ("kratos-admin", kratos_admin),
            ]
            for (name, app), sock in zip(apps, sockets, strict=True):
                self._servers.add(name, self._wrapped(name, app), sock=sock)
            if self._serve_mail_http:
                mail_app = self._wrapped("mail", self.mail.app)
                self.mail_url = self._servers.add("mail", mail_app).url + "/mail"
            self._servers.start()
        except BaseException:
            self._servers.stop()
            self.mail.stop()
            raise
        self._started = True
        return self

    def _wrapped(self, name: str, app: Any) -> Any:
        return app if self._wrap is None else self._wrap(name, app)

    def let_time_pass(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def time(self) -> float:
        return self.clock.time()

    def let_the_courier_send(self) -> None:
        pass  # the stand-in's courier sent before the request that queued the mail answered

    def stop(self) -> None:
        self._servers.stop()
        if self._started:
            self.mail.stop()
        self._started = False

    def __enter__(self) -> OryStack:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
