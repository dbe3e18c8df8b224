"""What the measured requests need, made through Hydra's admin API as a login/consent provider
would: a login challenge Hydra marks `skip` (a remembered browser), and an access token."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlsplit

import httpx
from stackspin_clients import ClientConfig, HydraAdmin
from stackspin_clients.models import AcceptConsent, AcceptLogin

from devstack.bench.backends import OryUrls


def _query(response: httpx.Response, name: str) -> str:
    return parse_qs(urlsplit(response.headers["location"]).query)[name][0]


def _authorize(browser: httpx.Client, ory: OryUrls, client_id: str, redirect_uri: str) -> str:
    response = browser.get(
        f"{ory.hydra_public_url}/oauth2/auth",
        params={
            "client_id": client_id,
            "response_type": "code",
            "scope": "openid",
            "redirect_uri": redirect_uri,
            "state": secrets.token_urlsafe(12),
        },
    )
    return _query(response, "login_challenge")


def remembered_login(
    ory: OryUrls, *, client_id: str, client_secret: str, redirect_uri: str, subject: str
) -> tuple[str, str]:
    """(a login challenge with skip=true, an access token for `subject`)."""
    with (
        httpx.Client(follow_redirects=False, trust_env=False, timeout=10) as browser,
        HydraAdmin(ClientConfig(ory.hydra_admin_url)) as hydra,
    ):
        challenge = _authorize(browser, ory, client_id, redirect_uri)
        accepted = hydra.accept_login_request(
            challenge, AcceptLogin(subject=subject, remember=True, remember_for=3600)
        )
        consent_challenge = _query(browser.get(accepted.redirect_to), "consent_challenge")
        accepted = hydra.accept_consent_request(
            consent_challenge, AcceptConsent(grant_scope=["openid"])
        )
        code = _query(browser.get(accepted.redirect_to), "code")
        token = httpx.post(
            f"{ory.hydra_public_url}/oauth2/token",
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
            auth=(client_id, client_secret),
            trust_env=False,
        )
        token.raise_for_status()
        skipping = _authorize(browser, ory, client_id, redirect_uri)
        if not hydra.get_login_request(skipping).skip:
            raise RuntimeError("Hydra did not remember the login")
        return skipping, str(token.json()["access_token"])
