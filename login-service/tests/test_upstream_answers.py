"""What Hydra, Kratos and dashboard-api answer is checked before a browser acts on it: odd
statuses, garbage bodies, redirects to foreign places, and no answer in time. Upstreams that
misbehave are real HTTP stubs (pytest-httpserver); everything else is the devstack."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from login_testkit import Browser, Env, password_login, reached_app
from pytest_httpserver import HTTPServer

CONSENT_REQUEST = {
    "challenge": "c1",
    "client": {"client_id": "notes", "client_name": "Notes"},
    "skip": False,
    "subject": "someone",
    "requested_scope": ["openid"],
}
KRATOS_ERRORS: dict[int, dict[str, Any]] = {
    400: {"error": {"id": "bad_request", "code": 400, "message": "bad"}},
    401: {"error": {"id": "session_inactive", "code": 401, "message": "no session"}},
    403: {"error": {"id": "security_csrf_violation", "code": 403, "message": "csrf"}},
    404: {"error": {"id": "not_found", "code": 404, "message": "gone"}},
    410: {"error": {"id": "self_service_flow_expired", "code": 410, "message": "expired"}},
}


def json_answer(server: HTTPServer, path: str, body: Any, status: int = 200, **kw: Any) -> None:
    server.expect_request(path, **kw).respond_with_data(
        json.dumps(body), status=status, content_type="application/json"
    )


def assert_refused_page(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text[:400]
    assert "Location" not in response.headers
    assert "Traceback" not in response.text
    assert response.headers["X-Request-ID"] in response.text


@pytest.fixture
def silent_port() -> Iterator[str]:
    """A loopback port that accepts connections and never answers (a hung dependency)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


def test_hydra_redirect_that_is_no_browser_url_is_refused(
    env: Env, httpserver: HTTPServer, login_service_with: Callable[..., str]
) -> None:
    env.dashboard.deny("notes")
    json_answer(httpserver, "/admin/oauth2/auth/requests/consent", CONSENT_REQUEST, method="GET")
    json_answer(
        httpserver,
        "/admin/oauth2/auth/requests/consent/reject",
        {"redirect_to": "javascript:alert(document.cookie)"},
        method="PUT",
    )
    url = login_service_with(hydra_admin_url=httpserver.url_for("").rstrip("/"))
    response = httpx.get(f"{url}/auth/consent?consent_challenge=c1", timeout=10)
    assert_refused_page(response, 502)
    assert "javascript:" not in response.text


def test_used_challenge_with_a_foreign_scheme_is_not_followed(
    env: Env, httpserver: HTTPServer, login_service_with: Callable[..., str]
) -> None:
    json_answer(
        httpserver,
        "/admin/oauth2/auth/requests/login",
        {"redirect_to": "javascript:alert(1)"},
        status=410,
    )
    url = login_service_with(hydra_admin_url=httpserver.url_for("").rstrip("/"))
    response = httpx.get(f"{url}/auth/login?login_challenge=used", timeout=10)
    assert_refused_page(response, 400)
    assert "not valid" in response.text


def test_hydra_garbage_lets_nobody_in(
    env: Env, httpserver: HTTPServer, login_service_with: Callable[..., str]
) -> None:
    httpserver.expect_request("/admin/oauth2/auth/requests/login").respond_with_data(
        "<html>oops</html>", content_type="text/html"
    )
    url = login_service_with(hydra_admin_url=httpserver.url_for("").rstrip("/"))
    response = httpx.get(f"{url}/auth/login?login_challenge=abc", timeout=10)
    assert_refused_page(response, 502)


@pytest.mark.parametrize("redirect_to", ["https://evil.example/steal", "javascript:alert(1)"])
def test_kratos_redirect_outside_kratos_and_the_allowlist_is_refused(
    env: Env, httpserver: HTTPServer, login_service_with: Callable[..., str], redirect_to: str
) -> None:
    body = {"error": {"id": "browser_location_change_required", "code": 422}}
    json_answer(
        httpserver,
        "/self-service/settings/flows",
        {**body, "redirect_browser_to": redirect_to},
        status=422,
    )
    url = login_service_with(kratos_public_url=httpserver.url_for("").rstrip("/"))
    response = httpx.get(f"{url}/auth/settings?flow=abc", timeout=10)
    assert_refused_page(response, 502)
    assert redirect_to not in response.text


def test_kratos_redirect_to_kratos_is_followed(
    env: Env, httpserver: HTTPServer, login_service_with: Callable[..., str]
) -> None:
    target = f"{env.kratos_public_url}/self-service/login/browser?refresh=true"
    json_answer(
        httpserver,
        "/self-service/settings/flows",
        {"error": {"id": "browser_location_change_required"}, "redirect_browser_to": target},
        status=422,
    )
    url = login_service_with(kratos_public_url=httpserver.url_for("").rstrip("/"))
    response = httpx.get(f"{url}/auth/settings?flow=abc", timeout=10)
    assert response.status_code == 303
    assert response.headers["Location"] == target


@pytest.mark.parametrize("status", sorted(KRATOS_ERRORS))
@pytest.mark.parametrize("kind", ["login", "registration", "recovery", "verification", "settings"])
def test_every_kratos_page_handles_every_kratos_refusal(
    env: Env,
    httpserver: HTTPServer,
    login_service_with: Callable[..., str],
    kind: str,
    status: int,
) -> None:
    json_answer(httpserver, f"/self-service/{kind}/flows", KRATOS_ERRORS[status], status=status)
    url = login_service_with(
        kratos_public_url=httpserver.url_for("").rstrip("/"), registration_enabled=True
    )
    response = httpx.get(f"{url}/auth/{kind}?flow=abc", timeout=10)
    assert "Traceback" not in response.text
    if status == 403:  # CSRF violation: explained, with a retry
        assert response.status_code == 403
        assert "Try again" in response.text
    else:  # a fresh flow from Kratos
        assert response.status_code == 303
        assert response.headers["Location"].startswith(
            f"{env.kratos_public_url}/self-service/{kind}/browser"
        )


def test_kratos_flow_posting_elsewhere_is_not_rendered(
    env: Env, httpserver: HTTPServer, login_service_with: Callable[..., str]
) -> None:
    flow = {
        "id": "abc",
        "type": "browser",
        "ui": {"action": "https://evil.example/collect", "method": "POST", "nodes": []},
    }
    json_answer(httpserver, "/self-service/recovery/flows", flow)
    url = login_service_with(kratos_public_url=httpserver.url_for("").rstrip("/"))
    response = httpx.get(f"{url}/auth/recovery?flow=abc", timeout=10)
    assert_refused_page(response, 502)
    assert "evil.example" not in response.text


def test_dashboard_garbage_lets_nobody_in(
    env: Env, browser: Browser, httpserver: HTTPServer, login_service_with: Callable[..., str]
) -> None:
    _, email = env.create_user()
    client = env.create_client()
    httpserver.clear()  # the stub's consent decision answers garbage now
    httpserver.expect_request("/internal/v1/consent-decision").respond_with_data(
        '{"allowed": "maybe"}', content_type="application/json"
    )
    login_service_with()
    visit = password_login(browser, browser.get(env.authorize_url(client)), email)
    assert visit.status == 502
    assert not reached_app(visit)


@pytest.mark.parametrize("dependency", ["hydra_admin_url", "dashboard_internal_url"])
def test_a_hung_dependency_gives_503_within_the_timeouts(
    env: Env,
    browser: Browser,
    login_service_with: Callable[..., str],
    silent_port: str,
    dependency: str,
) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    login_service_with(**{dependency: silent_port, "read_timeout": 0.5})
    started = time.monotonic()
    visit = browser.get(env.authorize_url(client))
    if "/auth/login?flow=" in visit.url:
        visit = password_login(browser, visit, email)
    assert visit.status == 503, visit.urls
    assert "temporarily unavailable" in visit.page.text
    assert not reached_app(visit)
    assert time.monotonic() - started < 15  # cut off at the timeout, not waited out


def test_only_kratos_cookies_are_forwarded_to_kratos(
    env: Env, httpserver: HTTPServer, login_service_with: Callable[..., str]
) -> None:
    json_answer(httpserver, "/sessions/whoami", KRATOS_ERRORS[401], status=401)
    url = login_service_with(kratos_public_url=httpserver.url_for("").rstrip("/"))
    cookies = (
        "dashboard_session=dash-secret; ory_kratos_session=kratos-session; "
        "login_service_session=ours; csrf_token_abc=kratos-csrf; csrf_token=an-apps; other=x"
    )
    httpx.get(f"{url}/auth/login", headers={"Cookie": cookies}, timeout=10)
    sent = [
        req.headers.get("Cookie") for req, _ in httpserver.log if req.path == "/sessions/whoami"
    ]
    assert sent == ["ory_kratos_session=kratos-session; csrf_token_abc=kratos-csrf"]


def test_a_kratos_session_without_identity_lets_nobody_in(
    env: Env, httpserver: HTTPServer, login_service_with: Callable[..., str]
) -> None:
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    json_answer(httpserver, "/sessions/whoami", {"id": "s1", "active": True})
    login_service_with(kratos_public_url=httpserver.url_for("").rstrip("/"))
    browser = Browser()
    try:
        browser.http.cookies.set("ory_kratos_session", "anything")
        visit = browser.get(env.authorize_url(client))
        assert visit.status == 502, visit.urls
        assert not reached_app(visit)
    finally:
        browser.close()


@pytest.mark.parametrize(
    ("status", "expected"), [(400, 404), (403, 502), (404, 404), (410, 404), (500, 503)]
)
def test_the_error_page_survives_any_kratos_answer(
    env: Env,
    httpserver: HTTPServer,
    login_service_with: Callable[..., str],
    status: int,
    expected: int,
) -> None:
    body = KRATOS_ERRORS.get(status, {"error": {"id": "internal", "code": status}})
    json_answer(httpserver, "/self-service/errors", body, status=status)
    url = login_service_with(kratos_public_url=httpserver.url_for("").rstrip("/"))
    response = httpx.get(f"{url}/auth/error?id=abc", timeout=10)
    assert_refused_page(response, expected)
