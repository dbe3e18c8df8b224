"""The Ory and dashboard-api clients of one app, built once from Settings and shared by threads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, current_app
from stackspin_clients import ClientConfig, DashboardInternal, HydraAdmin, KratosAdmin, KratosPublic
from stackspin_clients.errors import ServiceUnavailable

from login_service.config import Settings
from login_service.errors import DependencyDownError

EXTENSION = "login_service.clients"


@dataclass(frozen=True)
class Clients:
    hydra: HydraAdmin
    kratos: KratosPublic
    kratos_admin: KratosAdmin
    dashboard: DashboardInternal

    def close(self) -> None:
        for client in (self.hydra, self.kratos, self.kratos_admin, self.dashboard):
            client.close()


def build_clients(settings: Settings) -> Clients:
    def config(base_url: str) -> ClientConfig:
        return ClientConfig(
            base_url=base_url,
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            max_retries=settings.max_retries,
        )

    return Clients(
        hydra=HydraAdmin(config(settings.hydra_admin_url)),
        kratos=KratosPublic(config(settings.kratos_public_url)),
        kratos_admin=KratosAdmin(config(settings.kratos_admin_url)),
        dashboard=DashboardInternal(
            config(settings.dashboard_internal_url), settings.dashboard_internal_token
        ),
    )


def init_clients(app: Flask, settings: Settings) -> None:
    app.extensions[EXTENSION] = build_clients(settings)


def clients() -> Clients:
    found: Clients = current_app.extensions[EXTENSION]
    return found


@contextmanager
def calling(service: str) -> Iterator[None]:
    """Name the dependency in the 503 page's log line when it does not answer."""
    try:
        yield
    except ServiceUnavailable as exc:
        raise DependencyDownError(service, exc.message) from exc
