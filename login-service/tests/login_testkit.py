"""Helpers for the login-service tests: a dashboard-api stub, the browser (devstack.testing's,
stopping at this suite's app), the test environment (named uniquely: tests of several packages
share one sys.path)."""

from __future__ import annotations

import base64
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pyotp
from devstack.testing import browser as testing_browser
from devstack.testing.browser import Visit
from login_service import Settings
from pytest_httpserver import HTTPServer
from stackspin_clients import HydraAdmin, KratosAdmin
from stackspin_clients.models import CreateIdentity, OAuth2Client
from werkzeug.wrappers import Request, Response

INTERNAL_TOKEN = "test-internal-token-0123456789"
PASSWORD = "correct horse battery staple 42"
APP_ORIGIN = "http://127.0.0.1:9/"  # the "app": never contacted, the browser stops there
CALLBACK = f"{APP_ORIGIN}callback"
AFTER_LOGOUT = f"{APP_ORIGIN}after-logout"


class DashboardStub:
    """A real HTTP server answering GET /internal/v1/consent-decision like dashboard-api."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.decisions: dict[str, dict[str, Any]] = {}
        self.calls: list[dict[str, str]] = []
        server.expect_request("/internal/v1/consent-decision").respond_with_handler(self._answer)
        server.expect_request("/healthz").respond_with_json({"status": "ok"})

    @property
    def url(self) -> str:
        return self.server.url_for("").rstrip("/")

    def allow(
        self,
        client_id: str,
        *,
        name: str = "Notes",
        trusted: bool = False,
        role: str = "user",
        claims: dict[str, Any] | None = None,
        identity_claims: dict[str, Any] | None = None,
    ) -> None:
        """Allow; without ``identity_claims`` the answer is an earlier dashboard-api's."""
        self.decisions[client_id] = {
            "allowed": True,
            "app": {"slug": name.lower(), "name": name, "url": None, "trusted": trusted},
            "role": role,
            "claims": claims if claims is not None else {"role": role},
            "reason": None,
        }
        if identity_claims is not None:
            self.decisions[client_id]["identity_claims"] = identity_claims

    def deny(self, client_id: str, *, name: str = "Notes", reason: str = "no_role") -> None:
        self.decisions[client_id] = {
            "allowed": False,
            "app": {"slug": name.lower(), "name": name, "url": None, "trusted": False},
            "role": None,
            "claims": {},
            "reason": reason,
        }

    def _answer(self, request: Request) -> Response:
        if request.headers.get("Authorization") != f"Bearer {INTERNAL_TOKEN}":
            return Response('{"title": "Unauthorized"}', 401, mimetype="application/problem+json")
        client_id = request.args.get("client_id", "")
        self.calls.append({"subject": request.args.get("subject", ""), "client_id": client_id})
        decision = self.decisions.get(client_id)
        if decision is None:
            return Response('{"title": "Not Found"}', 404, mimetype="application/problem+json")
        return Response(json.dumps(decision), 200, mimetype="application/json")


class Browser(testing_browser.Browser):
    """The test suites' one browser (devstack.testing.browser), stopping at this suite's app."""

    def __init__(self, stop_prefix: str = APP_ORIGIN, accept_language: str = "en") -> None:
        super().__init__(stop_prefix, accept_language=accept_language)


@dataclass
class Env:
    """Everything a login-service test talks to."""

    login_url: str
    hydra_public_url: str
    kratos_public_url: str
    hydra: HydraAdmin
    kratos: KratosAdmin
    dashboard: DashboardStub
    stack: Any
    settings: Settings

    def create_user(
        self,
        email: str | None = None,
        *,
        password: str = PASSWORD,
        name: str = "Ada Lovelace",
        username: str | None = None,
        state: str = "active",
    ) -> tuple[str, str]:
        email = email or f"ada-{secrets.token_hex(4)}@example.org"
        username = username or f"ada-{secrets.token_hex(4)}"  # usernames are unique in Kratos
        identity = self.kratos.create_identity(
            CreateIdentity(
                traits={"email": email, "name": name, "username": username},
                credentials={"password": {"config": {"password": password}}},
                state=state,  # type: ignore[arg-type]
            )
        )
        return identity.id, email

    def create_client(self, **overrides: Any) -> OAuth2Client:
        body = {
            "client_name": "Notes",
            "redirect_uris": [CALLBACK],
            "post_logout_redirect_uris": [AFTER_LOGOUT],
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "scope": "openid email profile offline_access",
            "token_endpoint_auth_method": "client_secret_post",
            **overrides,
        }
        return self.hydra.create_oauth2_client(OAuth2Client(**body))

    def authorize_url(self, client: OAuth2Client, **extra: str) -> str:
        params = {
            "client_id": client.client_id or "",
            "response_type": "code",
            "scope": "openid email profile",
            "redirect_uri": CALLBACK,
            "state": secrets.token_urlsafe(12),
            "nonce": secrets.token_urlsafe(12),
            **extra,
        }
        return f"{self.hydra_public_url}/oauth2/auth?{urlencode(params)}"

    def exchange_code(self, client: OAuth2Client, callback_url: str) -> dict[str, Any]:
        query = parse_qs(urlsplit(callback_url).query)
        assert "code" in query, f"no code in {callback_url}"
        response = httpx.post(
            f"{self.hydra_public_url}/oauth2/token",
            data={
                "grant_type": "authorization_code",
                "code": query["code"][0],
                "redirect_uri": CALLBACK,
                "client_id": client.client_id,
                "client_secret": client.client_secret,
            },
            timeout=10,
        )
        assert response.status_code == 200, response.text
        tokens: dict[str, Any] = response.json()
        return tokens

    def login(
        self,
        browser: Browser,
        client: OAuth2Client,
        email: str,
        password: str = PASSWORD,
        **extra: str,
    ) -> Visit:
        """Authorize at Hydra; type the password if asked; allow consent if asked."""
        visit = browser.get(self.authorize_url(client, **extra))
        if "/auth/login?flow=" in visit.url:
            visit = password_login(browser, visit, email, password)
        if "/auth/consent" in visit.url and visit.status == 200:
            visit = browser.submit(visit, button="accept")
        return visit

    def courier_messages(self, recipient: str) -> list[dict[str, Any]]:
        return self.kratos.list_courier_messages(recipient=recipient)


def jwt_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    payload += "=" * (-len(payload) % 4)
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload))
    return claims


def password_login(browser: Browser, visit: Visit, email: str, password: str = PASSWORD) -> Visit:
    """Fill in the password form of our Kratos login page and post it to Kratos."""
    assert "/auth/login?flow=" in visit.url, visit.urls
    form = visit.page.form("password")
    values = {"password": password}
    if "identifier" in form.fields and not form.fields["identifier"]:
        values["identifier"] = email
    return browser.submit(visit, "password", "password", **values)


def asked_for_password(visit: Visit) -> bool:
    return any("/auth/login?flow=" in url for url in visit.urls)


def reached_app(visit: Visit) -> bool:
    return visit.url.startswith(CALLBACK + "?code=")


def settings_page(env: Env, browser: Browser) -> Visit:
    visit = browser.get(f"{env.login_url}/auth/settings")
    assert visit.status == 200, visit.urls
    assert "/auth/settings?flow=" in visit.url
    return visit


def enrol_totp(env: Env, browser: Browser) -> str:
    """Set up TOTP on the settings page; returns the secret a phone would have scanned."""
    page = settings_page(env, browser)
    form = page.page.form("totp")
    assert any(img.get("src", "").startswith("data:image/png") for img in page.page.imgs)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page.response.text)
    assert secret, "TOTP secret not shown"
    done = browser.submit(page, "totp", "totp", totp_code=pyotp.TOTP(secret.group(1)).now())
    assert done.status == 200, done.urls
    assert "Your changes have been saved" in done.page.text, done.page.text[:800]
    assert form.fields["csrf_token"]
    return secret.group(1)


def logged_in(env: Env, browser: Browser, email: str) -> None:
    visit = password_login(browser, browser.get(f"{env.login_url}/auth/login"), email)
    assert visit.status == 200, visit.urls
