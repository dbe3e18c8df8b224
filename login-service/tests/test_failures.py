"""Fail closed: Hydra, Kratos or dashboard-api down → a 503 page with a request id and a retry
link, and nobody is let in. Bad challenges → 400. Never a traceback."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from login_testkit import Browser, Env, password_login, reached_app


def assert_unavailable_page(response: httpx.Response) -> None:
    assert response.status_code == 503
    assert "temporarily unavailable" in response.text
    request_id = response.headers["X-Request-ID"]
    assert request_id in response.text
    assert "Try again" in response.text
    assert "Traceback" not in response.text
    assert response.headers["Retry-After"]


def test_hydra_down_gives_503(
    env: Env, login_service_with: Callable[..., str], nothing_listens: str
) -> None:
    url = login_service_with(hydra_admin_url=nothing_listens)
    for path in ("/auth/login", "/auth/consent", "/auth/logout"):
        name = {"/auth/login": "login", "/auth/consent": "consent", "/auth/logout": "logout"}
        response = httpx.get(f"{url}{path}?{name[path]}_challenge=abc123", timeout=10)
        assert_unavailable_page(response)


def test_kratos_down_lets_nobody_in(
    env: Env, browser: Browser, login_service_with: Callable[..., str], nothing_listens: str
) -> None:
    _, _email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    login_service_with(kratos_public_url=nothing_listens)
    visit = browser.get(env.authorize_url(client))
    assert_unavailable_page(visit.response)
    assert not reached_app(visit)


def test_kratos_admin_down_at_consent_lets_nobody_in(
    env: Env, browser: Browser, login_service_with: Callable[..., str], nothing_listens: str
) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    login_service_with(kratos_admin_url=nothing_listens)
    visit = password_login(browser, browser.get(env.authorize_url(client)), email)
    assert_unavailable_page(visit.response)
    assert "/auth/consent" in visit.url
    assert not reached_app(visit)


def test_dashboard_down_lets_nobody_in(
    env: Env, browser: Browser, login_service_with: Callable[..., str], nothing_listens: str
) -> None:
    _, email = env.create_user()
    client = env.create_client()
    login_service_with(dashboard_internal_url=nothing_listens)
    visit = password_login(browser, browser.get(env.authorize_url(client)), email)
    assert_unavailable_page(visit.response)
    assert not reached_app(visit)
    retry = browser.get(visit.url)
    assert retry.status == 503


def test_wrong_internal_token_lets_nobody_in(
    env: Env, browser: Browser, login_service_with: Callable[..., str]
) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    login_service_with(dashboard_internal_token="not-the-shared-token")
    visit = password_login(browser, browser.get(env.authorize_url(client)), email)
    assert visit.status == 503
    assert not reached_app(visit)


@pytest.mark.parametrize(
    "path",
    [
        "/auth/login?login_challenge=",
        "/auth/login?login_challenge=%3Cscript%3E",
        "/auth/consent",
        "/auth/consent?consent_challenge=unknown-challenge",
        "/auth/logout?logout_challenge=unknown-challenge",
        "/auth/login?login_challenge=unknown-challenge",
    ],
)
def test_missing_malformed_or_unknown_challenge_gives_400(env: Env, path: str) -> None:
    response = httpx.get(f"{env.login_url}{path}", timeout=10)
    assert response.status_code == 400
    assert "not valid" in response.text
    assert "<script>" not in response.text
    assert response.headers["X-Request-ID"] in response.text


def test_used_login_challenge_goes_where_hydra_says(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    first = browser.get(env.authorize_url(client))
    challenge_url = next(u for u in first.urls if "login_challenge=" in u)
    assert reached_app(password_login(browser, first, email))
    # Another browser, without cookies: a sign-in of its own, never a traceback.
    replay = httpx.get(challenge_url, timeout=10)
    assert replay.status_code in (303, 400)
    assert "Traceback" not in replay.text


def test_reloading_a_finished_login_signs_in_afresh_not_access_denied(
    env: Env, browser: Browser
) -> None:
    # Hydra's challenges are stateless: it answers a used one as new until it expires, and
    # accepting it again ends in access_denied at the app. The browser starts afresh instead.
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    first = browser.get(env.authorize_url(client))
    challenge_url = next(u for u in first.urls if "login_challenge=" in u)
    assert reached_app(password_login(browser, first, email))

    again = browser.get(challenge_url)
    assert reached_app(again), again.urls
    assert "code=" in again.url, again.url
    assert "error=" not in again.url
    new_challenges = [u for u in again.urls[1:] if "login_challenge=" in u]
    assert new_challenges
    assert challenge_url not in new_challenges


def test_an_expired_login_offers_to_start_again(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    env.stack.hydra_config.ttls.login_consent_request = 2
    env.stack.apply()
    authorize = env.authorize_url(client)
    first = browser.get(authorize)
    assert "/auth/login?flow=" in first.url, first.urls
    env.stack.let_time_pass(2.5)  # the person takes too long on the password page

    late = password_login(browser, first, email)
    assert late.status == 410, late.urls
    assert "login_challenge=" in late.url
    assert "This sign-in link has expired" in late.page.text
    assert "took too long" in late.page.text
    assert "Traceback" not in late.response.text
    assert late.response.headers["X-Request-ID"] in late.page.text
    restart = late.page.link("Start again")
    assert restart.startswith(f"{env.hydra_public_url}/oauth2/auth?")
    assert f"client_id={client.client_id}" in restart

    # Kratos signed the person in meanwhile: starting again goes straight to the app.
    again = browser.get(restart)
    assert reached_app(again), again.urls
    assert "code=" in again.url


def test_an_expired_login_challenge_seen_elsewhere_says_so(env: Env) -> None:
    client = env.create_client()
    env.stack.hydra_config.ttls.login_consent_request = 1
    env.stack.apply()
    stranger = Browser()
    try:
        first = stranger.get(env.authorize_url(client))
        challenge_url = next(u for u in first.urls if "login_challenge=" in u)
    finally:
        stranger.close()
    env.stack.let_time_pass(1.5)
    # A browser that never saw the request: the page says why, without a link to follow.
    response = httpx.get(challenge_url, timeout=10)
    assert response.status_code == 410
    assert "took too long" in response.text
    assert "Start again" not in response.text


def test_request_id_from_the_proxy_is_kept(env: Env) -> None:
    response = httpx.get(
        f"{env.login_url}/auth/consent", headers={"X-Request-ID": "req-abc.123"}, timeout=10
    )
    assert response.headers["X-Request-ID"] == "req-abc.123"
    assert "req-abc.123" in response.text
    odd = httpx.get(
        f"{env.login_url}/auth/consent", headers={"X-Request-ID": "<bad id>"}, timeout=10
    )
    assert odd.headers["X-Request-ID"] != "<bad id>"


ODD_REQUESTS = [
    ("GET", "/auth/login?login_challenge=a&login_challenge=b"),
    ("GET", "/auth/login?login_challenge=" + "a" * 5000),
    ("GET", "/auth/login?flow=" + "a" * 20000),
    ("GET", "/auth/login?flow=%ff%fe&lang=%ff"),
    ("GET", "/auth/consent?consent_challenge=%00"),
    ("GET", "/auth/consent?consent_challenge=ab%0d%0aSet-Cookie:%20x=1"),
    ("GET", "/auth/logout?logout_challenge=%e2%80%ae"),
    ("GET", "/auth/recovery?return_to=http://[::1&flow=abc&flow=def"),
    ("GET", "/auth/settings?return_to=%ff%ff"),
    ("GET", "/auth/error?id=%ff"),
    ("GET", "/auth/error?error=x&error_description=" + "%3Cb%3E" * 2000),
    ("GET", "/auth/%ff"),
    ("GET", "/auth/registration"),
    ("POST", "/auth/login"),
    ("PUT", "/auth/consent"),
    ("DELETE", "/auth/logout"),
    ("POST", "/auth/consent?consent_challenge=abc"),
    ("POST", "/auth/logged-out"),
]


@pytest.mark.parametrize(("method", "path"), ODD_REQUESTS)
def test_odd_requests_get_a_readable_4xx_page(env: Env, method: str, path: str) -> None:
    response = httpx.request(
        method,
        f"{env.login_url}{path}",
        headers={"Cookie": "login_service_session=%ff; login_lang=%ff", "X-Request-ID": "r" * 500},
        timeout=10,
    )
    assert 300 <= response.status_code < 500, (response.status_code, response.text[-400:])
    assert "Traceback" not in response.text
    assert "Set-Cookie: x" not in str(response.headers)
    if response.status_code >= 400:
        assert response.headers["Content-Type"].startswith("text/html")
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Request-ID"] in response.text
        assert response.headers["X-Request-ID"] != "r" * 500
    if response.status_code == 405:
        assert response.headers["Allow"]
    assert response.text.count("&lt;b&gt;") <= 100  # a crafted error text stays short


def test_a_huge_form_is_refused_with_a_page(env: Env) -> None:
    response = httpx.post(
        f"{env.login_url}/auth/consent", data={"consent_challenge": "x" * 100_000}, timeout=10
    )
    assert response.status_code == 413
    assert response.headers["X-Request-ID"] in response.text


@pytest.fixture
def hung_server() -> Iterator[str]:
    """A URL whose server accepts connections and never answers (a stopped Hydra)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                held.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_a_hung_dependency_costs_no_more_than_the_request_timeout(
    env: Env, login_service_with: Callable[..., str], hung_server: str
) -> None:
    # Alone, the calls would take 6 attempts x 1 s + backoff = 12 s; the request has 2 s.
    url = login_service_with(
        hydra_admin_url=hung_server, read_timeout=1.0, max_retries=5, request_timeout=2.0
    )
    started = time.monotonic()
    response = httpx.get(f"{url}/auth/login?login_challenge=abc123", timeout=30)
    elapsed = time.monotonic() - started
    assert_unavailable_page(response)
    assert elapsed < 6.0, elapsed  # the 2 s budget, far from the 12 s without one
