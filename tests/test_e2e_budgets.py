"""Time budgets through real nginx: when Kratos or the database hangs, dashboard-api answers
with its own 503 before nginx's proxy_read_timeout (30 s), and the request it gave up on
changes nothing afterwards, even when the hung peer comes back and gets what was sent to it.

The faults are real: a TCP proxy in front of Kratos's admin API and one in front of MariaDB
that keep every connection open but stop passing bytes (as a stopped process or a black-holing
network does), then deliver what they held.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest
from devstack.testing.faultproxy import FaultProxy
from sqlalchemy.engine import make_url
from stack_harness.admin import admin_api
from stack_harness.nginx import RunningNginx, start_nginx
from stack_harness.processes import RunningProcess, start_gunicorn
from stack_harness.sso_stack import REPO, SsoStack

# nginx's proxy_read_timeout in proxy/templates/default.conf.template.
NGINX_READ_TIMEOUT = 30.0


@dataclass
class FaultyDashboard:
    """A second dashboard-api (same database, same Ory) reached through proxies that can hang,
    behind its own nginx; `api` carries the admin's Bearer token."""

    kratos: FaultProxy
    database: FaultProxy
    process: RunningProcess
    nginx: RunningNginx
    api: httpx.Client
    # The same admin through the stack's own, healthy nginx and dashboard-api.
    healthy: httpx.Client


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname, url
    assert parts.port, url
    return parts.hostname, parts.port


@pytest.fixture(scope="module")
def faulty(sso: SsoStack) -> Iterator[FaultyDashboard]:
    database_url = make_url(sso.dashboard_env["DASHBOARD_DATABASE_URL"])
    assert database_url.host
    assert database_url.port
    kratos = FaultProxy(*_host_port(sso.ory.kratos_admin_url)).start()
    database = FaultProxy(database_url.host, database_url.port).start()
    env = {
        **sso.dashboard_env,
        "DASHBOARD_KRATOS_ADMIN_URL": f"http://{kratos.address}",
        "DASHBOARD_DATABASE_URL": database_url.set(
            host="127.0.0.1", port=database.port
        ).render_as_string(hide_password=False),
    }
    process = start_gunicorn(
        "dashboard-api-faulty",
        ["--config", str(REPO / "dashboard-api" / "gunicorn.conf.py"), "--workers", "1"],
        env=env,
        log_dir=sso.artifacts / "logs",
    )
    nginx = start_nginx(
        sso.nginx.prefix.parent / f"nginx-faulty-{secrets.token_hex(3)}",
        login_service=f"127.0.0.1:{sso.login_service.port}",
        dashboard_api=f"127.0.0.1:{process.port}",
        kratos_public=sso.ory.kratos_public_url.removeprefix("http://"),
        hydra_public=sso.ory.hydra_public_url.removeprefix("http://"),
    )
    healthy = admin_api(sso)
    api = httpx.Client(
        base_url=f"{nginx.url}/api/v1",
        headers={"Authorization": healthy.headers["Authorization"]},
        timeout=NGINX_READ_TIMEOUT + 15,
    )
    try:
        assert api.get("/me").status_code == 200
        yield FaultyDashboard(kratos, database, process, nginx, api, healthy)
    finally:
        api.close()
        healthy.close()
        nginx.stop()
        process.stop()
        kratos.stop()
        database.stop()


def _a_user_with_a_role(sso: SsoStack) -> str:
    subject, _ = sso.create_user(name="Before Change")
    sso.dashboard_cli("user", "set-role", subject, "demo", "user")
    return subject


def _state_of(faulty: FaultyDashboard, subject: str) -> tuple[str, list[dict[str, str]]]:
    user = faulty.healthy.get(f"/users/{subject}")
    assert user.status_code == 200, user.text
    return user.json()["name"], sorted(user.json()["roles"], key=lambda r: r["app"])


def _patch_while_hung(
    faulty: FaultyDashboard, hung: FaultProxy, subject: str
) -> tuple[httpx.Response, float]:
    hung.hang()
    started = time.monotonic()
    try:
        response = faulty.api.patch(
            f"/users/{subject}",
            json={"name": "After Change", "roles": [{"app": "dashboard", "role": "user"}]},
        )
    finally:
        elapsed = time.monotonic() - started
        # The peer comes back and gets everything it was sent meanwhile.
        hung.resume()
    return response, elapsed


def _assert_our_own_503(response: httpx.Response, elapsed: float) -> None:
    assert response.status_code == 503, (response.status_code, response.text[:300], elapsed)
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    # dashboard-api's problem (with its type), not the one nginx makes when it gives up.
    assert problem["type"].startswith("https://stackspin.net/problems/"), problem
    assert problem["request_id"] == response.headers["x-request-id"]
    assert elapsed < NGINX_READ_TIMEOUT - 5, elapsed


@pytest.mark.parametrize("fault", ["kratos", "database"])
def test_a_hung_dependency_gets_our_503_in_time_and_the_write_never_lands_later(
    sso: SsoStack, faulty: FaultyDashboard, fault: str
) -> None:
    subject = _a_user_with_a_role(sso)
    before = _state_of(faulty, subject)
    response, elapsed = _patch_while_hung(faulty, getattr(faulty, fault), subject)
    # Give a late statement or call every chance to land.
    time.sleep(3)
    assert _state_of(faulty, subject) == before, (response.status_code, elapsed)
    _assert_our_own_503(response, elapsed)
    # And the faulty instance is healthy again once its peer is.
    assert faulty.api.get(f"/users/{subject}").status_code == 200


@pytest.mark.parametrize("fault", ["kratos", "database"])
def test_readyz_answers_503_within_seconds_when_a_dependency_hangs(
    faulty: FaultyDashboard, fault: str
) -> None:
    hung: FaultProxy = getattr(faulty, fault)
    hung.hang()
    try:
        started = time.monotonic()
        ready = httpx.get(f"{faulty.process.url}/readyz", timeout=20)
        elapsed = time.monotonic() - started
    finally:
        hung.resume()
    assert ready.status_code == 503
    assert ready.json()["checks"][fault].startswith("down"), ready.json()
    # Its 2 s probe budget held: far below the 20 s this client would wait for a hung probe.
    assert elapsed < 10, elapsed
    assert httpx.get(f"{faulty.process.url}/readyz", timeout=20).status_code == 200
