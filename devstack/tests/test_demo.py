"""The demo relying party, driven like a browser through the Hydra stand-in, with a scripted
login and consent provider (the Hydra admin API) standing in for login-service."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from devstack.demo import DemoConfig, create_app
from devstack.serve import AsgiServers
from devstack.stack import OryStack
from stackspin_clients import ClientConfig, HydraAdmin
from stackspin_clients.models import (
    AcceptConsent,
    AcceptLogin,
    ConsentSessionData,
    OAuth2Client,
    RejectRequest,
)

UI = "http://127.0.0.1:9/"  # never contacted: the test answers Hydra's challenges itself


@dataclass
class Demo:
    url: str
    hydra: HydraAdmin
    browser: httpx.Client


@pytest.fixture
def demo(ory_stack: OryStack) -> Iterator[Demo]:
    ory_stack.point_ui_at(UI)
    servers = AsgiServers()
    sock = servers.bind()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    hydra = HydraAdmin(ClientConfig(ory_stack.hydra_admin_url))
    client = hydra.create_oauth2_client(
        OAuth2Client(
            client_name="demo",
            redirect_uris=[f"{url}/demo/callback"],
            post_logout_redirect_uris=[f"{url}/demo/logged-out"],
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            scope="openid email profile",
            token_endpoint_auth_method="client_secret_basic",
        )
    )
    config = DemoConfig(
        issuer=ory_stack.hydra_config.issuer,
        client_id=client.client_id,
        client_secret=client.client_secret,
        public_url=url,
        session_secret="test-session-secret",
    )
    servers.add("demo", create_app(config), sock=sock)
    servers.start()
    browser = httpx.Client(follow_redirects=False, timeout=10)
    yield Demo(url, hydra, browser)
    browser.close()
    hydra.close()
    servers.stop()


def follow(browser: httpx.Client, response: httpx.Response, *, until: str) -> httpx.Response:
    """Follow redirects like a browser until the next one points at `until` (not requested)."""
    while response.is_redirect:
        location = str(response.url.join(response.headers["location"]))
        if location.startswith(until):
            return response
        response = browser.get(location)
    return response


def challenge(response: httpx.Response, name: str) -> str:
    return parse_qs(urlsplit(response.headers["location"]).query)[name][0]


def log_in(demo: Demo, *, claims: dict) -> httpx.Response:
    to_login = follow(demo.browser, demo.browser.get(f"{demo.url}/demo/login"), until=UI)
    login_challenge = challenge(to_login, "login_challenge")
    accepted = demo.hydra.accept_login_request(
        login_challenge, AcceptLogin(subject="user-1", remember=True, remember_for=0)
    )
    to_consent = follow(demo.browser, demo.browser.get(accepted.redirect_to), until=UI)
    consent = demo.hydra.get_consent_request(challenge(to_consent, "consent_challenge"))
    accepted = demo.hydra.accept_consent_request(
        consent.challenge,
        AcceptConsent(
            grant_scope=consent.requested_scope,
            session=ConsentSessionData(id_token=claims),
        ),
    )
    return follow(demo.browser, demo.browser.get(accepted.redirect_to), until="never")


def test_the_home_page_offers_to_log_in(demo: Demo) -> None:
    page = demo.browser.get(f"{demo.url}/demo/")

    assert page.status_code == 200
    assert 'action="/demo/login"' in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_login_uses_code_flow_with_pkce_and_nonce(demo: Demo) -> None:
    to_hydra = demo.browser.get(f"{demo.url}/demo/login")

    query = parse_qs(urlsplit(to_hydra.headers["location"]).query)
    assert to_hydra.status_code == 302
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == [f"{demo.url}/demo/callback"]
    assert query["nonce"][0]
    assert query["state"][0]
    assert "openid" in query["scope"][0].split()


def test_a_full_login_shows_who_you_are_and_the_claims_escaped(demo: Demo) -> None:
    page = log_in(
        demo, claims={"email": "ada@example.org", "name": "Ada <b>L</b>", "role": "admin"}
    )

    assert page.status_code == 200
    assert str(page.url) == f"{demo.url}/demo/"
    assert "Hello, Ada &lt;b&gt;L&lt;/b&gt;" in page.text
    assert "<b>L</b>" not in page.text
    assert "user-1" in page.text
    assert "Your role in this app: <strong>admin</strong>" in page.text
    assert "ada@example.org" in page.text
    assert "<th>nonce</th>" in page.text
    assert re.search(r"<th>exp</th><td>\d+ \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)</td>", page.text)
    assert 'action="/demo/logout"' in page.text


def test_logout_is_rp_initiated_through_hydra(demo: Demo) -> None:
    log_in(demo, claims={"email": "ada@example.org"})

    to_hydra = demo.browser.post(f"{demo.url}/demo/logout")
    query = parse_qs(urlsplit(to_hydra.headers["location"]).query)
    assert to_hydra.status_code == 303
    assert urlsplit(to_hydra.headers["location"]).path == "/oauth2/sessions/logout"
    assert query["id_token_hint"][0].count(".") == 2
    assert query["post_logout_redirect_uri"] == [f"{demo.url}/demo/logged-out"]

    to_logout_ui = follow(demo.browser, demo.browser.get(to_hydra.headers["location"]), until=UI)
    accepted = demo.hydra.accept_logout_request(challenge(to_logout_ui, "logout_challenge"))
    done = follow(demo.browser, demo.browser.get(accepted.redirect_to), until="never")

    assert done.status_code == 200
    assert str(done.url).startswith(f"{demo.url}/demo/logged-out?state=")
    assert "You are logged out" in done.text
    assert 'action="/demo/login"' in demo.browser.get(f"{demo.url}/demo/").text


def test_a_refused_login_shows_the_error(demo: Demo) -> None:
    to_login = follow(demo.browser, demo.browser.get(f"{demo.url}/demo/login"), until=UI)
    rejected = demo.hydra.reject_login_request(
        challenge(to_login, "login_challenge"),
        RejectRequest(error="access_denied", error_description="No role on this app"),
    )

    page = follow(demo.browser, demo.browser.get(rejected.redirect_to), until="never")

    assert page.status_code == 400
    assert "Login did not complete: access_denied" in page.text
    assert "No role on this app" in page.text


def test_a_callback_without_a_matching_state_is_refused(demo: Demo) -> None:
    page = demo.browser.get(f"{demo.url}/demo/callback", params={"code": "x", "state": "forged"})

    assert page.status_code == 400
    assert "Login did not complete" in page.text
