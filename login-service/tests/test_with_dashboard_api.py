"""The consent decision from the real dashboard-api (not the stub): its CLI creates an app,
links the Hydra client and gives one person a role; the other person has none."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from login_testkit import INTERNAL_TOKEN, Browser, Env, jwt_claims, password_login, reached_app

pytest.importorskip("dashboard_api.main", reason="dashboard-api is not importable")


@pytest.fixture
def dashboard_api(env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from dashboard_api.cli import main as cli
    from dashboard_api.config import Settings as DashboardSettings
    from dashboard_api.main import create_app
    from devstack.serve import start_asgi

    values = {
        "DASHBOARD_ENVIRONMENT": "development",
        "DASHBOARD_DATABASE_URL": f"sqlite:///{tmp_path / 'dashboard.sqlite3'}",
        "DASHBOARD_HYDRA_ADMIN_URL": env.stack.hydra_admin_url,
        "DASHBOARD_HYDRA_PUBLIC_URL": env.stack.hydra_public_url,
        "DASHBOARD_KRATOS_ADMIN_URL": env.stack.kratos_admin_url,
        "DASHBOARD_KRATOS_PUBLIC_URL": env.stack.kratos_public_url,
        "DASHBOARD_INTERNAL_TOKEN": INTERNAL_TOKEN,
        "DASHBOARD_SECRET_KEY": "test-dashboard-secret-0123456789",
        "DASHBOARD_OAUTH_CLIENT_SECRET": "test-dashboard-client-secret-0123",
        "DASHBOARD_LOG_JSON": "false",
        "DASHBOARD_LOG_LEVEL": "WARNING",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    with contextlib.redirect_stdout(io.StringIO()):
        cli(["migrate"], standalone_mode=False)
    server = start_asgi(create_app(DashboardSettings()))
    try:
        yield server.url
    finally:
        server.stop()


def _cli(*args: str) -> None:
    from dashboard_api.cli import main as cli

    with contextlib.redirect_stdout(io.StringIO()):
        cli(list(args), standalone_mode=False)


def test_consent_decision_from_the_real_dashboard_api(
    env: Env, dashboard_api: str, login_service_with: Callable[..., str]
) -> None:
    login_service_with(dashboard_internal_url=dashboard_api)
    member, member_email = env.create_user()
    _, outsider_email = env.create_user()
    client = env.create_client(client_name="Wiki")
    _cli("app", "create", "wiki", "--name", "Wiki")
    _cli("app", "add-client", "wiki", "--client-id", client.client_id or "")
    _cli("user", "set-role", member, "wiki", "admin")

    allowed = Browser()
    refused = Browser()
    try:
        visit = password_login(allowed, allowed.get(env.authorize_url(client)), member_email)
        assert visit.status == 200, visit.urls  # not trusted: the consent page
        assert "Allow Wiki?" in visit.page.text
        visit = allowed.submit(visit, None, "accept")
        assert reached_app(visit), visit.urls
        claims = jwt_claims(env.exchange_code(client, visit.url)["id_token"])
        assert claims["sub"] == member
        assert claims["role"] == "admin"  # the app's role claim, from dashboard-api
        # The person's own claims, in dashboard-api's decision (Kratos is not asked again).
        assert (claims["email"], claims["email_verified"]) == (member_email, False)
        assert claims["name"] == "Ada Lovelace"

        denied = password_login(refused, refused.get(env.authorize_url(client)), outsider_email)
        assert denied.status == 403
        assert "You do not have access to Wiki" in denied.page.text
    finally:
        allowed.close()
        refused.close()
