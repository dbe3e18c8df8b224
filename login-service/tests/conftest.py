"""Fixtures: the Ory stand-ins, a stub of dashboard-api's consent decision, the login-service
served over real HTTP, and a browser-like client with a cookie jar."""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from devstack.serve import start_wsgi
from pytest_httpserver import HTTPServer
from stackspin_clients import ClientConfig, HydraAdmin, KratosAdmin

# --import-mode=importlib does not put this folder on sys.path; our helper modules need it.
sys.path.insert(0, str(Path(__file__).parent))

from devstack.testing import plugin as _devstack_plugin
from login_service import Settings, create_app
from login_testkit import INTERNAL_TOKEN, Browser, DashboardStub, Env

if not hasattr(_devstack_plugin, "ory_stack"):  # until it lands: the same stand-ins, here

    @dataclass
    class _LocalStack:
        hydra_public_url: str
        hydra_admin_url: str
        kratos_public_url: str
        kratos_admin_url: str
        hydra_config: Any
        kratos_config: Any

        def point_ui_at(self, base: str) -> None:
            base = base.rstrip("/")
            hc = self.hydra_config
            hc.login_url = f"{base}/auth/login"
            hc.consent_url = f"{base}/auth/consent"
            hc.logout_url = f"{base}/auth/logout"
            hc.post_logout_redirect_url = f"{base}/auth/logged-out"
            hc.error_url = f"{base}/auth/error"
            kc = self.kratos_config
            for kind in ("login", "registration", "recovery", "verification", "settings", "error"):
                setattr(kc, f"{kind}_ui_url", f"{base}/auth/{kind}")
            kc.default_return_url = f"{base}/auth/login"
            kc.allowed_return_urls = [f"{base}/", self.hydra_public_url + "/"]

    @pytest.fixture
    def ory_stack() -> Iterator[_LocalStack]:
        from devstack.hydra import HydraConfig
        from devstack.hydra import create_apps as hydra_apps
        from devstack.kratos import KratosConfig
        from devstack.kratos import create_apps as kratos_apps
        from devstack.serve import start_asgi

        hydra_config = HydraConfig()
        kratos_config = KratosConfig(argon2_memory_kib=1024, argon2_iterations=1)
        h_public, h_admin = hydra_apps(hydra_config)
        k_public, k_admin = kratos_apps(kratos_config)
        servers = [start_asgi(app) for app in (h_public, h_admin, k_public, k_admin)]
        hydra_config.issuer = servers[0].url + "/"
        kratos_config.public_url = servers[2].url + "/"
        kratos_config.admin_url = servers[3].url + "/"
        try:
            yield _LocalStack(
                servers[0].url,
                servers[1].url,
                servers[2].url,
                servers[3].url,
                hydra_config,
                kratos_config,
            )
        finally:
            for server in servers:
                server.stop()


@pytest.fixture
def dashboard(httpserver: HTTPServer) -> DashboardStub:
    return DashboardStub(httpserver)


def _settings(stack: Any, dashboard_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "development",
        "secret_key": "test-secret-key-0123456789abcdef",
        "public_url": "http://127.0.0.1:1",  # replaced once the port is known
        "hydra_admin_url": stack.hydra_admin_url,
        "hydra_browser_url": stack.hydra_public_url,
        "kratos_public_url": stack.kratos_public_url,
        "kratos_browser_url": stack.kratos_public_url,
        "kratos_admin_url": stack.kratos_admin_url,
        "dashboard_internal_url": dashboard_url,
        "dashboard_internal_token": INTERNAL_TOKEN,
        "max_retries": 0,
        "connect_timeout": 1.0,
        "read_timeout": 5.0,
        "admin_contact": "the helpdesk (help@example.org)",
        **overrides,
    }
    return Settings(**values)


@pytest.fixture
def env(ory_stack: Any, dashboard: DashboardStub) -> Iterator[Env]:
    """The login-service on a random port, with Hydra and Kratos pointed at it."""
    settings = _settings(ory_stack, dashboard.url)
    server = start_wsgi(create_app(settings))
    settings.public_url = server.url  # Settings are read per request
    ory_stack.point_ui_at(server.url)
    hydra = HydraAdmin(ClientConfig(ory_stack.hydra_admin_url))
    kratos = KratosAdmin(ClientConfig(ory_stack.kratos_admin_url))
    try:
        yield Env(
            login_url=server.url,
            hydra_public_url=ory_stack.hydra_public_url.rstrip("/"),
            kratos_public_url=ory_stack.kratos_public_url.rstrip("/"),
            hydra=hydra,
            kratos=kratos,
            dashboard=dashboard,
            stack=ory_stack,
            settings=settings,
        )
    finally:
        hydra.close()
        kratos.close()
        server.stop()


@pytest.fixture
def login_service_with(env: Env) -> Iterator[Callable[..., str]]:
    """Start another login-service with some settings changed and point Hydra and Kratos at it."""
    servers = []

    def start(**overrides: Any) -> str:
        settings = _settings(env.stack, env.dashboard.url, **overrides)
        server = start_wsgi(create_app(settings))
        settings.public_url = server.url
        env.stack.point_ui_at(server.url)
        servers.append(server)
        return str(server.url)

    yield start
    for server in servers:
        server.stop()


def closed_port_url() -> str:
    """A loopback URL where nothing listens (connection refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def nothing_listens() -> str:
    return closed_port_url()


@pytest.fixture
def browser() -> Iterator[Browser]:
    b = Browser()
    yield b
    b.close()
