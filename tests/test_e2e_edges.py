"""What nginx adds in front of the real services: nothing private is reachable, the Kratos
forms are rate limited per client IP, and one request id follows a request through both
services' logs."""

from __future__ import annotations

import time

import httpx
import pytest
from stack_harness.browser import Browser, RelyingParty, password_login
from stack_harness.sso_stack import PASSWORD, SsoStack, log_lines_with

pytestmark = [pytest.mark.requires("nginx", "mariadb"), pytest.mark.timeout(180)]

PRIVATE_PATHS = [
    "/internal/v1/consent-decision?subject=x&client_id=y",
    "/api/../internal/v1/consent-decision?subject=x&client_id=y",
    "/api/internal/v1/consent-decision",
    "/metrics",
    "/auth/../metrics",
    "/healthz",
    "/readyz",
    "/kratos/admin/identities",
    "/kratos/admin/courier/messages",
    "/kratos/%61dmin/identities",
    "/admin/clients",
    "/admin/oauth2/introspect",
    "/admin/oauth2/auth/requests/login?login_challenge=x",
    "/admin/identities",
]


def test_admin_internal_and_metrics_paths_answer_404_through_nginx(sso: SsoStack) -> None:
    token = sso.dashboard_env["DASHBOARD_INTERNAL_TOKEN"]
    with httpx.Client(base_url=sso.url, timeout=10) as client:
        for path in PRIVATE_PATHS:
            for method in ("GET", "POST"):
                response = client.request(
                    method, path, headers={"Authorization": f"Bearer {token}"}
                )
                assert response.status_code == 404, (method, path, response.text[:200])
    # The services themselves do answer there: the 404s are the proxy's doing.
    assert httpx.get(f"{sso.dashboard_api.url}/metrics", timeout=10).status_code == 200
    assert httpx.get(f"{sso.login_service.url}/metrics", timeout=10).status_code == 200
    internal = httpx.get(
        f"{sso.dashboard_api.url}/internal/v1/consent-decision",
        params={"subject": sso.admin_id, "client_id": sso.demo_client.client_id},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert internal.status_code == 200
    assert internal.json()["allowed"] is True


def test_public_paths_reach_their_services_through_nginx(sso: SsoStack) -> None:
    with httpx.Client(base_url=sso.url, timeout=10) as client:
        assert client.get("/").status_code == 200
        schema = client.get("/api/openapi.json").json()
        assert schema["openapi"].startswith("3.")
        assert not [path for path in schema["paths"] if "internal" in path]
        assert client.get("/api/docs").status_code == 200
        assert client.get("/.well-known/openid-configuration").json()["issuer"] == f"{sso.url}/"
        assert "keys" in client.get("/.well-known/jwks.json").json()
        flow = client.get("/kratos/self-service/login/browser")
        assert flow.status_code == 303
        assert flow.headers["location"].startswith(f"{sso.url}/auth/login?flow=")
        assert client.get("/api/v1/me").status_code == 401


def test_hammering_the_login_form_answers_429(sso: SsoStack) -> None:
    # Its own client address, so the other tests' logins (from 127.0.0.1) keep their quota.
    with Browser(source_address="127.0.0.2") as browser:
        visit = browser.get(f"{sso.url}/kratos/self-service/login/browser")
        assert "/auth/login?flow=" in visit.url
        statuses = []
        for _ in range(40):
            answer = password_login(browser, visit, "nobody@example.org", "wrong password 123")
            statuses.append(answer.status)
            if answer.status == 429:
                break
        assert statuses[0] != 429
        assert statuses[-1] == 429, statuses
        assert "Too many attempts" in answer.page.text
        assert answer.response.headers["content-type"].startswith("text/html")
        # Reading pages is not limited, only submitting forms.
        assert browser.get(visit.url).status == 200


def test_a_request_id_set_at_nginx_shows_up_in_both_services_logs(sso: SsoStack) -> None:
    user_id, email = sso.create_user()
    sso.dashboard_cli("user", "set-role", user_id, "demo", "user")
    rp = RelyingParty(sso.url, sso.demo_client)
    try:
        with Browser() as browser:
            url, *_ = rp.authorization_url()
            visit = password_login(browser, browser.get(url), email, PASSWORD)
    finally:
        rp.close()
    # The consent page: login-service asked dashboard-api for the decision while serving it.
    assert "/auth/consent?consent_challenge=" in visit.url, visit.urls
    request_id = visit.response.headers["x-request-id"]
    assert len(request_id) == 32  # nginx's $request_id: no id came from the browser
    # A loaded CI host; nginx too writes its line only after the response has left.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        login_lines = log_lines_with(sso.login_service.log(), request_id)
        dashboard_lines = log_lines_with(sso.dashboard_api.log(), request_id)
        if login_lines and dashboard_lines and request_id in sso.nginx.access_log_text():
            break
        time.sleep(0.1)
    assert login_lines, "request id missing from login-service's log"
    assert dashboard_lines, "request id missing from dashboard-api's log"
    assert any(
        isinstance(line, dict) and line.get("request_id") == request_id for line in dashboard_lines
    )
    assert request_id in sso.nginx.access_log_text()


def test_a_request_id_sent_by_the_caller_is_kept_through_nginx_and_both_services(
    sso: SsoStack,
) -> None:
    user_id, email = sso.create_user()
    sso.dashboard_cli("user", "set-role", user_id, "demo", "user")
    request_id = f"e2e-{user_id[:8]}-trace"
    rp = RelyingParty(sso.url, sso.demo_client)
    try:
        with Browser() as browser:
            url, *_ = rp.authorization_url()
            visit = password_login(browser, browser.get(url), email, PASSWORD)
            assert "/auth/consent?consent_challenge=" in visit.url, visit.urls
            consent = browser.http.get(visit.url, headers={"X-Request-ID": request_id})
    finally:
        rp.close()
    assert consent.status_code == 200
    assert consent.headers["x-request-id"] == request_id
    deadline = time.monotonic() + 20  # a loaded CI host; the loop ends as soon as both log
    while time.monotonic() < deadline:
        if request_id in sso.login_service.log() and request_id in sso.dashboard_api.log():
            break
        time.sleep(0.1)
    assert request_id in sso.login_service.log()
    assert request_id in sso.dashboard_api.log()
