"""The browser (devstack.testing's, stopping at the stack's app) and an independent OIDC
relying party built on Authlib, both talking only to nginx."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from devstack.testing import browser as testing_browser
from devstack.testing.browser import Visit
from joserfc import jwt
from joserfc.jwk import KeySet

from stack_harness.sso_stack import APP_ORIGIN, CALLBACK, TestClient


class Browser(testing_browser.Browser):
    """The test suites' one browser (devstack.testing.browser), stopping at the stack's app."""

    def __init__(self, stop_prefix: str = APP_ORIGIN, source_address: str | None = None) -> None:
        super().__init__(stop_prefix, source_address=source_address)


def password_login(browser: Browser, visit: Visit, email: str, password: str) -> Visit:
    """Our Kratos login page: type email and password, post straight to Kratos (via nginx)."""
    assert "/auth/login?flow=" in visit.url, visit.urls
    form = visit.page.find(button="password", fields=("password",))
    values = {"password": password}
    if not form.fields.get("identifier"):
        values["identifier"] = email
    return browser.submit(visit, button="password", fields=("password",), **values)


@dataclass
class OidcLogin:
    """The result of one authorization-code login of a relying party."""

    visit: Visit
    # every URL the browser was sent to, across all steps
    journey: list[str]
    tokens: dict[str, Any] | None = None
    id_claims: dict[str, Any] | None = None


class RelyingParty:
    """An independent OIDC client (Authlib) of the stack: discovery, PKCE, nonce, token
    exchange and ID token verification against the published JWKS, all through nginx."""

    def __init__(
        self,
        base_url: str,
        client: TestClient,
        scope: str = "openid email profile",
        *,
        redirect_uri: str = CALLBACK,
        token_endpoint_auth_method: str = "client_secret_basic",
    ) -> None:
        self.client = client
        self.redirect_uri = redirect_uri
        discovery = httpx.get(f"{base_url}/.well-known/openid-configuration", timeout=10)
        discovery.raise_for_status()
        self.metadata: dict[str, Any] = discovery.json()
        assert self.metadata["issuer"] == f"{base_url}/"
        self.oauth = OAuth2Client(
            client.client_id,
            client.client_secret,
            scope=scope,
            redirect_uri=redirect_uri,
            token_endpoint_auth_method=token_endpoint_auth_method,
            timeout=10,
        )

    def close(self) -> None:
        self.oauth.close()

    def authorization_url(self) -> tuple[str, str, str, str]:
        """(url, state, nonce, code_verifier) of a fresh authorization request."""
        verifier = secrets.token_urlsafe(48)
        nonce = secrets.token_urlsafe(16)
        url, state = self.oauth.create_authorization_url(
            self.metadata["authorization_endpoint"],
            nonce=nonce,
            code_challenge=create_s256_code_challenge(verifier),
            code_challenge_method="S256",
        )
        return url, state, nonce, verifier

    def finish(self, callback_url: str, *, state: str, nonce: str, verifier: str) -> dict[str, Any]:
        """Exchange the code and verify the ID token; returns the tokens with `id_claims`."""
        query = parse_qs(urlsplit(callback_url).query)
        assert query.get("state") == [state], callback_url
        assert "code" in query, callback_url
        tokens: dict[str, Any] = dict(
            self.oauth.fetch_token(
                self.metadata["token_endpoint"],
                authorization_response=callback_url,
                code_verifier=verifier,
            )
        )
        tokens["id_claims"] = self.verify_id_token(tokens["id_token"], nonce)
        return tokens

    def verify_id_token(self, id_token: str, nonce: str) -> dict[str, Any]:
        jwks = httpx.get(self.metadata["jwks_uri"], timeout=10).json()
        token = jwt.decode(id_token, KeySet.import_key_set(jwks))
        registry = jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": self.metadata["issuer"]},
            aud={"essential": True, "value": self.client.client_id},
            nonce={"essential": True, "value": nonce},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
        )
        registry.validate(token.claims)
        assert token.header["alg"] in self.metadata["id_token_signing_alg_values_supported"]
        return dict(token.claims)

    def login(
        self, browser: Browser, email: str, password: str, *, consent: bool = True
    ) -> OidcLogin:
        """authorize → (password) → (consent) → code → tokens; stops early when refused."""
        url, state, nonce, verifier = self.authorization_url()
        visit = browser.get(url)
        journey = list(visit.urls)
        if "/auth/login?flow=" in visit.url:
            visit = password_login(browser, visit, email, password)
            journey += visit.urls
        on_consent_page = "/auth/consent" in visit.url and visit.status == 200
        if on_consent_page and consent and visit.page.forms:
            visit = browser.submit(visit, button="accept")
            journey += visit.urls
        arrived = visit.url.startswith(self.redirect_uri) and "code" in parse_qs(
            urlsplit(visit.url).query
        )
        if not arrived:
            return OidcLogin(visit, journey)
        tokens = self.finish(visit.url, state=state, nonce=nonce, verifier=verifier)
        return OidcLogin(visit, journey, tokens, tokens["id_claims"])
