"""Fixtures: the Ory stand-ins, a stub of dashboard-api's consent decision, the login-service
served over real HTTP (on the Ory stack's clock), and a browser-like client with a cookie jar."""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from devstack.serve import bind_loopback, start_wsgi
from devstack.testing.warm_ory import WarmRealOry
from pytest_httpserver import HTTPServer
from stackspin_clients import ClientConfig, HydraAdmin, KratosAdmin

# --import-mode=importlib does not put this folder on sys.path; our helper modules need it.
sys.path.insert(0, str(Path(__file__).parent))

from login_service import Settings, create_app
from login_testkit import INTERNAL_TOKEN, Browser, DashboardStub, Env


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
def login_socket(ory_backend: str, warm_real_ory: WarmRealOry) -> Iterator[socket.socket]:
    """The login-service's listening socket, bound before Hydra and Kratos start (on real
    Ory, together with the pair started ahead that points at it)."""
    sock = warm_real_ory.ui_socket() if ory_backend == "real" else bind_loopback()
    yield sock
    sock.close()


@pytest.fixture
def ory_ui_url(login_socket: socket.socket) -> str:
    """Hydra and Kratos start pointed at the login-service (real Ory starts once, not twice)."""
    return f"http://127.0.0.1:{login_socket.getsockname()[1]}"


@pytest.fixture
def env(
    ory_stack: Any, dashboard: DashboardStub, login_socket: socket.socket, ory_ui_url: str
) -> Iterator[Env]:
    """The login-service on a random port, with Hydra and Kratos pointed at it."""
    settings = _settings(ory_stack, dashboard.url)
    server = start_wsgi(create_app(settings, clock=ory_stack.time), sock=login_socket)
    assert server.url == ory_ui_url
    settings.public_url = server.url  # Settings are read per request
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
        server = start_wsgi(create_app(settings, clock=env.stack.time))
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
