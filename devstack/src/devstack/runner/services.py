"""login-service and dashboard-api inside the runner: their Settings with development values,
the dashboard's seeding (dashboard_api.bootstrap), and a clear word when a service cannot run
(yet)."""

from __future__ import annotations

import importlib
import logging
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


def dashboard_settings(
    wiring: Wiring, secrets: Secrets, client: SeededClient, *, log_level: str = "WARNING"
) -> Any:
    """dashboard-api's Settings with development values (a `dashboard_api.config.Settings`)."""
    config = _import("dashboard_api.config", "dashboard-api")
    try:
        return config.Settings(
            environment="development",
            secret_key=secrets.dashboard_secret_key,
            database_url=wiring.database_url,
            public_url=wiring.public_url,
            hydra_admin_url=wiring.hydra_admin_url,
            hydra_public_url=wiring.hydra_public_url,
            kratos_admin_url=wiring.kratos_admin_url,
            kratos_public_url=wiring.kratos_public_url,
            internal_token=secrets.internal_token,
            kratos_hook_token=secrets.kratos_hook_token,
            oauth_client_id=client.client_id,
            oauth_client_secret=client.client_secret,
            smtp_url=wiring.smtp_url,
            mail_from="Stackspin <no-reply@example.org>",
            log_json=False,
            log_level=log_level,
        )
    except ValueError as exc:  # pydantic's ValidationError: a value the Settings refuse
        raise ServiceUnavailableError(f"dashboard-api's settings are refused: {exc}") from exc


def seed_dashboard(
    settings: Any,
    *,
    admin_subject: str,
    dashboard_client: SeededClient,
    demo_client: SeededClient,
    demo_url: str,
) -> None:
    """Migrate, then seed the dashboard app and the demo app with their clients (safe to
    repeat); a refusal becomes ServiceUnavailableError with dashboard-api's reason."""
    migrate = _import("dashboard_api.migrate", "dashboard-api")
    bootstrap = _import("dashboard_api.bootstrap", "dashboard-api")
    try:
        migrate.upgrade(settings.database_url, "head")
    except Exception as exc:  # any migration failure: the stack runs on without dashboard-api
        raise ServiceUnavailableError(f"dashboard-api's migrations failed: {exc!r}") from exc
    demo = bootstrap.SeedApp(
        slug="demo",
        name="Demo app",
        url=demo_url,
        client_ids=[demo_client.client_id],
        roles={admin_subject: "user"},
    )
    try:
        bootstrap.seed(
            settings,
            admin_subject=admin_subject,
            dashboard_client_id=dashboard_client.client_id,
            apps_to_have=[demo],
        )
    except bootstrap.SeedError as exc:
        raise ServiceUnavailableError(f"seeding dashboard-api failed: {exc}") from exc
    log.info("dashboard-api seeded: the dashboard and demo apps, %s as admin", admin_subject)


def dashboard_app(settings: Any) -> Any:
    """dashboard-api's ASGI app built from the same Settings as the seeding."""
    main = _import("dashboard_api.main", "dashboard-api")
    try:
        return main.create_app(settings)
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
