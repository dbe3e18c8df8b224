"""login-service and dashboard-api inside the runner: their Settings with development values,
the dashboard's CLI seeding, and a clear word when a service cannot run (yet)."""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from devstack.runner.state import Secrets, SeededClient

log = logging.getLogger("devstack.runner")


class ServiceUnavailableError(Exception):
    """The service's package is not installed or cannot be built; the message says why."""


@dataclass(frozen=True)
class Wiring:
    """Where everything is: browser-facing `public_url`, server-side loopback URLs."""

    public_url: str
    hydra_public_url: str
    hydra_admin_url: str
    kratos_public_url: str
    kratos_admin_url: str
    dashboard_url: str
    smtp_url: str
    database_url: str


def _import(module: str, service: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ServiceUnavailableError(f"{service} is not importable ({exc})") from exc


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration (dashboard-api's CLI reads its Settings
    from DASHBOARD_*), then restore the previous values."""
    previous = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def dashboard_environment(
    wiring: Wiring, secrets: Secrets, client: SeededClient, *, log_level: str = "WARNING"
) -> dict[str, str]:
    return {
        "DASHBOARD_ENVIRONMENT": "development",
        "DASHBOARD_SECRET_KEY": secrets.dashboard_secret_key,
        "DASHBOARD_DATABASE_URL": wiring.database_url,
        "DASHBOARD_PUBLIC_URL": wiring.public_url,
        "DASHBOARD_HYDRA_ADMIN_URL": wiring.hydra_admin_url,
        "DASHBOARD_HYDRA_PUBLIC_URL": wiring.hydra_public_url,
        "DASHBOARD_KRATOS_ADMIN_URL": wiring.kratos_admin_url,
        "DASHBOARD_KRATOS_PUBLIC_URL": wiring.kratos_public_url,
        "DASHBOARD_INTERNAL_TOKEN": secrets.internal_token,
        "DASHBOARD_OAUTH_CLIENT_ID": client.client_id,
        "DASHBOARD_OAUTH_CLIENT_SECRET": client.client_secret,
        "DASHBOARD_SMTP_URL": wiring.smtp_url,
        "DASHBOARD_MAIL_FROM": "Stackspin <no-reply@example.org>",
        "DASHBOARD_LOG_JSON": "false",
        "DASHBOARD_LOG_LEVEL": log_level,
    }


def _dashboard_cli(args: list[str]) -> None:
    cli = _import("dashboard_api.cli", "dashboard-api")
    import click

    output = io.StringIO()
    try:
        # Its output (JSON of created things) would bury the banner; -v logs it.
        with contextlib.redirect_stdout(output):
            cli.main(args, standalone_mode=False)
        log.info("dashboard-api %s: %s", " ".join(args), output.getvalue().strip())
    except click.ClickException as exc:
        raise ServiceUnavailableError(
            f"`dashboard-api {' '.join(args)}` failed: {exc.format_message()}"
        ) from exc


def _dashboard_has_app(slug: str) -> bool:
    import click

    cli = _import("dashboard_api.cli", "dashboard-api")
    # `app show` prints the app as JSON; its output is not needed here.
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            cli.main(["app", "show", slug], standalone_mode=False)
        except click.ClickException:
            return False
    return True


def seed_dashboard(
    env: dict[str, str],
    *,
    admin_subject: str,
    dashboard_client: SeededClient,
    demo_client: SeededClient,
    demo_url: str,
) -> None:
    """Migrate, then `seed` and link the demo app, via the dashboard-api CLI (safe to repeat)."""
    with environment(env):
        _dashboard_cli(["migrate"])
        _dashboard_cli(
            [
                "seed",
                "--admin-subject",
                admin_subject,
                "--dashboard-client-id",
                dashboard_client.client_id,
            ]
        )
        if not _dashboard_has_app("demo"):
            _dashboard_cli(["app", "create", "demo", "--name", "Demo app", "--url", demo_url])
        _dashboard_cli(["app", "add-client", "demo", "--client-id", demo_client.client_id])
        _dashboard_cli(["user", "set-role", admin_subject, "demo", "user"])


def dashboard_app(env: dict[str, str]) -> Any:
    """dashboard-api's ASGI app built from the same DASHBOARD_* values as the CLI."""
    main = _import("dashboard_api.main", "dashboard-api")
    config = _import("dashboard_api.config", "dashboard-api")
    with environment(env):
        try:
            return main.create_app(config.Settings())
        except Exception as exc:  # a half-built service must not stop the rest of the stack
            raise ServiceUnavailableError(f"dashboard-api could not be built: {exc!r}") from exc


def login_app(wiring: Wiring, secrets: Secrets, *, log_level: str = "WARNING") -> Any:
    """login-service's WSGI app with development Settings."""
    login_service = _import("login_service", "login-service")
    config = _import("login_service.config", "login-service")
    try:
        settings = config.Settings(
            environment="development",
            secret_key=secrets.login_secret_key,
            public_url=wiring.public_url,
            hydra_admin_url=wiring.hydra_admin_url,
            kratos_public_url=wiring.kratos_public_url,
            kratos_browser_url=f"{wiring.public_url}/kratos",
            kratos_admin_url=wiring.kratos_admin_url,
            dashboard_internal_url=wiring.dashboard_url,
            dashboard_internal_token=secrets.internal_token,
            allowed_return_urls=[f"{wiring.public_url}/"],
            admin_contact="the admin of this development stack",
            log_level=log_level,
        )
        return login_service.create_app(settings)
    except Exception as exc:  # a half-built service must not stop the rest of the stack
        raise ServiceUnavailableError(f"login-service could not be built: {exc!r}") from exc
