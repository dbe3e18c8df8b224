"""Connection pooling, timeouts from ClientConfig, and in-process transports."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from devstack.serve import RunningServer, start_asgi
from stackspin_clients import AsyncKratosAdmin, ClientConfig, KratosAdmin

pytestmark = pytest.mark.anyio


class IdentityApp:
    """A tiny ASGI app answering one identity and recording each caller's TCP port."""

    def __init__(self, identity: dict[str, Any]) -> None:
        self.identity = identity
        self.client_ports: list[int] = []
        self.paths: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            message = await receive()
            await send({"type": "lifespan.startup.complete"})
            message = await receive()
            if message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
            return
        self.paths.append(scope["path"])
        if scope.get("client"):
            self.client_ports.append(scope["client"][1])
        body = json.dumps(self.identity).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})


@pytest.fixture
def identity_app(wire: Any) -> IdentityApp:
    return IdentityApp(wire("IDENTITY"))


@pytest.fixture
def identity_server(identity_app: IdentityApp) -> Iterator[RunningServer]:
    server = start_asgi(identity_app)
    yield server
    server.stop()


def test_sync_client_reuses_one_connection(
    identity_server: RunningServer, identity_app: IdentityApp
) -> None:
    with KratosAdmin(ClientConfig(identity_server.url)) as kratos:
        for _ in range(3):
            kratos.get_identity("ada")

    assert len(identity_app.client_ports) == 3
    assert len(set(identity_app.client_ports)) == 1


async def test_async_client_reuses_one_connection(
    identity_server: RunningServer, identity_app: IdentityApp
) -> None:
    async with AsyncKratosAdmin(ClientConfig(identity_server.url)) as kratos:
        for _ in range(3):
            await kratos.get_identity("ada")

    assert len(set(identity_app.client_ports)) == 1


def test_a_connection_idle_past_the_keepalive_expiry_is_not_reused(
    identity_server: RunningServer, identity_app: IdentityApp
) -> None:
    with KratosAdmin(ClientConfig(identity_server.url, keepalive_expiry=0.3)) as kratos:
        kratos.get_identity("ada")
        kratos.get_identity("ada")
        time.sleep(0.5)
        kratos.get_identity("ada")

    first, again, after_idle = identity_app.client_ports
    assert first == again
    assert after_idle != first


def test_the_default_keepalive_expiry_is_below_every_servers_keep_alive() -> None:
    """A client that keeps a connection as long as the server does sends, now and then, on
    one the server is closing: a POST then fails (CI met it against a stand-in)."""
    root = Path(__file__).parents[2]
    servers = {"uvicorn (the stand-ins)": uvicorn.Config(app=None).timeout_keep_alive}
    for conf in ("login-service/gunicorn.conf.py", "dashboard-api/gunicorn.conf.py"):
        found = re.search(r"^keepalive = (\d+)$", (root / conf).read_text(), re.MULTILINE)
        assert found, conf
        servers[conf] = int(found.group(1))

    expiry = ClientConfig("http://127.0.0.1:9").keepalive_expiry
    assert all(expiry < seconds - 0.5 for seconds in servers.values()), (expiry, servers)


def test_timeouts_come_from_the_config() -> None:
    config = ClientConfig("http://127.0.0.1:9", connect_timeout=1.5, read_timeout=7.0)
    with KratosAdmin(config) as kratos:
        timeout = kratos._http.timeout

    assert (timeout.connect, timeout.read) == (1.5, 7.0)


def test_base_url_with_a_path_prefix_keeps_the_prefix(
    identity_server: RunningServer, identity_app: IdentityApp
) -> None:
    with KratosAdmin(ClientConfig(identity_server.url + "/prefix")) as kratos:
        kratos.get_identity("ada")

    assert identity_app.paths == ["/prefix/admin/identities/ada"]


async def test_async_client_talks_to_an_in_process_asgi_app(identity_app: IdentityApp) -> None:
    transport = httpx.ASGITransport(app=identity_app)
    async with AsyncKratosAdmin(ClientConfig("http://kratos"), transport=transport) as kratos:
        identity = await kratos.get_identity("ada")

    assert identity.traits["email"] == "ada@example.org"
