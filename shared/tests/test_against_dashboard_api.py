"""DashboardInternal against the real dashboard-api app (in-process, migrated SQLite DB)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from devstack.serve import RunningServer, start_asgi
from stackspin_clients import (
    AsyncDashboardInternal,
    ClientConfig,
    DashboardInternal,
    HydraAdmin,
    KratosAdmin,
)
from stackspin_clients.errors import NotFound, Unauthorized
from stackspin_clients.models import CreateIdentity, OAuth2Client

pytestmark = pytest.mark.anyio

TOKEN = "internal-token-for-shared-tests-0123456789"


@pytest.fixture(scope="module")
def module_stack() -> Iterator[Any]:
    # One stack and one migrated database for the module: migrating per test costs seconds.
    from devstack.stack import OryStack

    with OryStack() as stack:
        yield stack


@pytest.fixture(scope="module")
def dashboard_env(
    tmp_path_factory: pytest.TempPathFactory, module_stack: Any
) -> Iterator[dict[str, str]]:
    database = tmp_path_factory.mktemp("dashboard") / "dashboard.sqlite3"
    env = {
        "DASHBOARD_DATABASE_URL": f"sqlite:///{database}",
        "DASHBOARD_INTERNAL_TOKEN": TOKEN,
        "DASHBOARD_SECRET_KEY": "secret-key-for-shared-tests-0123456789",
        "DASHBOARD_OAUTH_CLIENT_SECRET": "client-secret-for-shared-tests-0123",
        "DASHBOARD_HYDRA_ADMIN_URL": module_stack.hydra_admin_url,
        "DASHBOARD_KRATOS_ADMIN_URL": module_stack.kratos_admin_url,
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        yield env


def dashboard_cli(*args: str) -> None:
    """Run the dashboard-api admin CLI in-process."""
    from dashboard_api.cli import main

    main(list(args), standalone_mode=False)


@pytest.fixture(scope="module")
def dashboard_api(dashboard_env: dict[str, str]) -> Iterator[RunningServer]:
    from dashboard_api.main import create_app

    dashboard_cli("migrate")
    server = start_asgi(create_app())
    yield server
    server.stop()


async def test_wrong_token_is_unauthorized(caller: Any, dashboard_api: RunningServer) -> None:
    dashboard = caller(
        DashboardInternal, AsyncDashboardInternal, ClientConfig(dashboard_api.url), "wrong"
    )

    with pytest.raises(Unauthorized) as caught:
        await dashboard("consent_decision", "9f8e7d6c", "some-client")

    assert caught.value.status == 401
    assert isinstance(caught.value.body, dict)
    assert caught.value.body.get("status") == 401


async def test_client_of_no_app_is_not_found(caller: Any, dashboard_api: RunningServer) -> None:
    dashboard = caller(
        DashboardInternal, AsyncDashboardInternal, ClientConfig(dashboard_api.url), TOKEN
    )

    with pytest.raises(NotFound) as caught:
        await dashboard("consent_decision", "9f8e7d6c", "no-such-client")

    assert caught.value.status == 404
    assert caught.value.message


async def test_user_with_a_role_is_allowed_with_the_role_claim(
    caller: Any, dashboard_api: RunningServer, module_stack: Any, flavor: str
) -> None:
    with HydraAdmin(ClientConfig(module_stack.hydra_admin_url)) as hydra:
        client = hydra.create_oauth2_client(
            OAuth2Client(client_name="Demo", redirect_uris=["http://127.0.0.1:5998/cb"])
        )
    with KratosAdmin(ClientConfig(module_stack.kratos_admin_url)) as kratos:
        person = kratos.create_identity(
            CreateIdentity(traits={"email": f"ada-{flavor}@example.org"})
        )
    slug = f"demo-{flavor}"
    dashboard_cli("app", "create", slug, "--name", "Demo", "--url", "http://demo.example")
    dashboard_cli("app", "add-client", slug, "--client-id", str(client.client_id))
    dashboard_cli("user", "set-role", person.id, slug, "admin")
    dashboard = caller(
        DashboardInternal, AsyncDashboardInternal, ClientConfig(dashboard_api.url), TOKEN
    )

    decision = await dashboard("consent_decision", person.id, client.client_id)

    assert decision.allowed is True
    assert decision.app is not None
    assert decision.app.slug == slug
    assert decision.role == "admin"
    assert "admin" in decision.claims.values()
    assert decision.reason is None
