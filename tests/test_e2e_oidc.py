"""An independent OIDC client logs into the demo app through real nginx: authorize → login →
consent → code → tokens, with the ID token's signature, nonce, audience and claims checked."""

from __future__ import annotations

import pytest
from stack_harness.admin import admin_api
from stack_harness.browser import Browser, RelyingParty
from stack_harness.sso_stack import CALLBACK, PASSWORD, SsoStack

pytestmark = [pytest.mark.requires("nginx", "mariadb"), pytest.mark.timeout(180)]


def test_demo_app_login_yields_a_verified_id_token_with_the_role(sso: SsoStack) -> None:
    user_id, email = sso.create_user(name="Ada Lovelace")
    sso.dashboard_cli("user", "set-role", user_id, "demo", "user")
    rp = RelyingParty(sso.url, sso.demo_client)
    try:
        with Browser() as browser:
            result = rp.login(browser, email, PASSWORD)
    finally:
        rp.close()

    assert result.tokens is not None, result.journey
    urls = result.journey
    # Every hop stayed on the one nginx origin until the app's callback.
    assert all(u.startswith((sso.url, CALLBACK)) for u in urls), urls
    assert any("/auth/login?flow=" in u for u in urls)
    assert any("/auth/consent?consent_challenge=" in u for u in urls)
    claims = result.id_claims
    assert claims is not None
    assert claims["sub"] == user_id
    assert claims["iss"] == f"{sso.url}/"
    assert claims["email"] == email
    assert claims["name"] == "Ada Lovelace"
    assert claims["role"] == "user"
    assert result.tokens["token_type"].lower() == "bearer"


def test_admin_of_the_demo_app_gets_the_admin_role_claim_and_userinfo(sso: SsoStack) -> None:
    rp = RelyingParty(sso.url, sso.demo_client)
    try:
        with Browser() as browser:
            result = rp.login(browser, sso.admin_email, PASSWORD)
        assert result.id_claims is not None, result.journey
        assert result.id_claims["role"] == "admin"
        assert result.tokens is not None
        userinfo = rp.oauth.get(
            rp.metadata["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {result.tokens['access_token']}"},
        )
        assert userinfo.status_code == 200
        assert userinfo.json()["sub"] == sso.admin_id
    finally:
        rp.close()


def test_logout_from_the_app_ends_the_single_sign_on_session(sso: SsoStack) -> None:
    user_id, email = sso.create_user()
    sso.dashboard_cli("user", "set-role", user_id, "demo", "user")
    rp = RelyingParty(sso.url, sso.demo_client)
    try:
        with Browser() as browser:
            first = rp.login(browser, email, PASSWORD)
            assert first.tokens is not None, first.journey
            # While the session lives, the next login needs no password.
            silent = rp.login(browser, email, PASSWORD)
            assert silent.tokens is not None
            assert not any("/auth/login?flow=" in u for u in silent.journey), silent.journey

            logout_url = rp.metadata["end_session_endpoint"]
            confirm = browser.get(logout_url, params={"id_token_hint": first.tokens["id_token"]})
            assert "/auth/logout?logout_challenge=" in confirm.url, confirm.urls
            done = browser.submit(confirm, button="logout", fields=("logout_challenge",))
            assert done.url.startswith(f"{sso.url}/auth/logged-out"), done.urls
            assert done.status == 200

            again = rp.login(browser, email, PASSWORD)
    finally:
        rp.close()
    # After logout the password is asked again, and the login still works.
    assert any("/auth/login?flow=" in u for u in again.journey), again.journey
    assert again.id_claims is not None
    assert again.id_claims["sub"] == user_id


def test_access_only_through_a_group_gives_the_role_and_groups_claims(sso: SsoStack) -> None:
    """No direct role on the demo app: a group grants it, and the app sees the group's name.
    Set up through the admin API (the CLI's groups commands are tested in dashboard-api)."""
    user_id, email = sso.create_user()
    group, hidden = f"crew-{user_id[:8]}", f"hidden-{user_id[:8]}"
    ids: list[int] = []
    with admin_api(sso) as api:
        for name, role in ((group, "admin"), (hidden, "user")):
            made = api.post("/groups", json={"name": name})
            assert made.status_code == 201, made.text
            ids.append(made.json()["id"])
            added = api.post(f"/groups/{ids[-1]}/members", json={"subject": user_id})
            assert added.status_code == 200, added.text
            granted = api.put(f"/groups/{ids[-1]}/grants/demo", json={"role": role})
            assert granted.status_code == 200, granted.text
        claim = api.put("/groups/claims/demo", json={"claim": "groups", "groups": [group]})
        assert claim.status_code == 200, claim.text
        rp = RelyingParty(sso.url, sso.demo_client)
        try:
            with Browser() as browser:
                result = rp.login(browser, email, PASSWORD)
        finally:
            rp.close()
            api.put("/groups/claims/demo", json={"claim": None})
            for group_id in ids:
                api.delete(f"/groups/{group_id}")
    claims = result.id_claims
    assert claims is not None, result.journey
    assert claims["sub"] == user_id
    assert claims["role"] == "admin"  # the higher of the two groups' roles
    assert claims["groups"] == [group]  # only the group the demo app may see
