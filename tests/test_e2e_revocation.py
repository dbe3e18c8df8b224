"""Taking access away reaches Hydra: through nginx, login-service and (per backend) the Hydra
stand-in or real Hydra, a refresh token stops working when the role goes or on offboarding."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from stack_harness.browser import Browser, RelyingParty
from stack_harness.sso_stack import PASSWORD, SsoStack

pytestmark = [pytest.mark.requires("nginx", "mariadb"), pytest.mark.timeout(180)]


def _login_with_refresh(sso: SsoStack, email: str) -> tuple[RelyingParty, dict[str, Any]]:
    rp = RelyingParty(sso.url, sso.demo_client, scope="openid email profile offline_access")
    with Browser() as browser:
        result = rp.login(browser, email, PASSWORD)
    assert result.tokens is not None, result.journey
    assert result.tokens.get("refresh_token"), result.tokens
    return rp, result.tokens


def _refresh(sso: SsoStack, rp: RelyingParty, refresh_token: str) -> httpx.Response:
    return httpx.post(
        rp.metadata["token_endpoint"],
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=(sso.demo_client.client_id, sso.demo_client.client_secret),
        timeout=10,
    )


def test_a_refresh_token_dies_when_the_role_is_removed(sso: SsoStack) -> None:
    user_id, email = sso.create_user()
    sso.dashboard_cli("user", "set-role", user_id, "demo", "user")
    rp, tokens = _login_with_refresh(sso, email)
    try:
        refreshed = _refresh(sso, rp, tokens["refresh_token"])
        assert refreshed.status_code == 200, refreshed.text  # it works until then

        sso.dashboard_cli("user", "set-role", user_id, "demo", "none")

        again = _refresh(sso, rp, refreshed.json()["refresh_token"])
        assert again.status_code in (400, 401), again.text
    finally:
        rp.close()


def test_offboarding_leaves_no_usable_token(sso: SsoStack) -> None:
    user_id, email = sso.create_user()
    sso.dashboard_cli("user", "set-role", user_id, "demo", "user")
    rp, tokens = _login_with_refresh(sso, email)
    try:
        report = sso.dashboard_cli("user", "offboard", user_id, "--yes")
        assert '"state": "inactive"' in report, report

        assert _refresh(sso, rp, tokens["refresh_token"]).status_code in (400, 401)
    finally:
        rp.close()
