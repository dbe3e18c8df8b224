"""An admin manages access through the API; the people it concerns feel it at their next login:
invitation mail → password → login to the demo app (address verified); role removed → refused
at consent; a recovery code handed over by the admin → new password."""

from __future__ import annotations

import re
import secrets

import httpx
import pytest
from stack_harness.admin import admin_api, invitation_mail, invitation_parts
from stack_harness.browser import Browser, RelyingParty, Visit, password_login
from stack_harness.sso_stack import PASSWORD, SsoStack

pytestmark = [pytest.mark.requires("nginx", "mariadb"), pytest.mark.timeout(180)]

NEW_PASSWORD = "a brand new passphrase 7"


def accept_invitation(browser: Browser, mail_text: str, password: str) -> Visit:
    """Open the link in the mail, type the code, choose a password on the settings page."""
    link, code = invitation_parts(mail_text)
    return redeem_recovery_code(browser, link, code, password)


def redeem_recovery_code(browser: Browser, link: str, code: str, password: str) -> Visit:
    visit = browser.get(link)
    assert "/auth/recovery?flow=" in visit.url, visit.urls
    visit = browser.submit(visit, fields=("code",), code=code)
    assert "/auth/settings?flow=" in visit.url, (visit.urls, visit.page.text[:500])
    visit = browser.submit(visit, button="password", fields=("password",), password=password)
    assert visit.status == 200, visit.page.text[:500]
    return visit


def test_invited_user_sets_a_password_logs_in_and_loses_access_with_the_role(
    sso: SsoStack,
) -> None:
    email = f"invitee-{secrets.token_hex(4)}@example.org"
    with admin_api(sso) as api:
        created = api.post(
            "/users",
            json={
                "email": email,
                "name": "Ivy Invitee",
                "roles": [{"app": "demo", "role": "user"}],
                "invite": True,
            },
        )
        assert created.status_code == 201, created.text
        user = created.json()
        assert {"app": "demo", "role": "user"} in user["roles"]

        mail = invitation_mail(sso, email)
        assert "invited" in mail["subject"].lower()

        rp = RelyingParty(sso.url, sso.demo_client)
        try:
            with Browser() as browser:
                accept_invitation(browser, mail["text"], NEW_PASSWORD)
            with Browser() as browser:
                first = rp.login(browser, email, NEW_PASSWORD)
                assert first.id_claims is not None, first.journey
                assert first.id_claims["sub"] == user["id"]
                assert first.id_claims["email"] == email
                # The code came by mail to this address: redeeming it proved the address.
                assert first.id_claims["email_verified"] is True
                assert first.id_claims["role"] == "user"
                shown = api.get(f"/users/{user['id']}")
                assert shown.status_code == 200, shown.text
                assert shown.json()["email_verified"] is True

                removed = api.patch(
                    f"/users/{user['id']}", json={"roles": [{"app": "dashboard", "role": "user"}]}
                )
                assert removed.status_code == 200, removed.text
                assert {"app": "demo", "role": "user"} not in removed.json()["roles"]

                # Same browser, still logged in: the next login stops at consent.
                second = rp.login(browser, email, NEW_PASSWORD)
        finally:
            rp.close()
    assert second.tokens is None
    assert "/auth/consent?consent_challenge=" in second.visit.url, second.journey
    assert second.visit.status == 403
    assert "do not have access to Demo" in second.visit.page.text


def test_a_recovery_code_from_the_api_lets_the_person_set_a_new_password(sso: SsoStack) -> None:
    """Kratos recovers by code only (deploy's kratos.yml disables links): the admin gets the
    page to open and the code to type, hands both over, and the person chooses a password."""
    user_id, email = sso.create_user()
    sso.dashboard_cli("user", "set-role", user_id, "demo", "user")
    with admin_api(sso) as api:
        answer = api.post(f"/users/{user_id}/recovery-code")
    assert answer.status_code == 200, answer.text
    handed = answer.json()
    assert set(handed) == {"recovery_link", "recovery_code", "expires_at"}
    assert "token=" not in handed["recovery_link"]  # no magic link to leak through a Referer
    with Browser() as browser:
        redeem_recovery_code(
            browser, handed["recovery_link"], handed["recovery_code"], NEW_PASSWORD
        )
    rp = RelyingParty(sso.url, sso.demo_client)
    try:
        with Browser() as browser:
            result = rp.login(browser, email, NEW_PASSWORD)
    finally:
        rp.close()
    assert result.id_claims is not None, result.journey
    assert result.id_claims["sub"] == user_id
    # Handed over by an admin, the code proves nothing about the mailbox.
    assert result.id_claims["email_verified"] is False


def test_a_recovery_code_from_the_cli_shows_the_page_and_the_code(sso: SsoStack) -> None:
    user_id, _ = sso.create_user()
    output = sso.dashboard_cli("user", "recovery-code", user_id)
    link = re.search(r"^Open:\s+(\S+)$", output, re.MULTILINE)
    code = re.search(r"^Code:\s+(\d{6,8})$", output, re.MULTILINE)
    assert link, output
    assert code, output
    with Browser() as browser:
        redeem_recovery_code(browser, link.group(1), code.group(1), NEW_PASSWORD)


def test_people_without_the_admin_role_cannot_use_the_admin_api(sso: SsoStack) -> None:
    user_id, email = sso.create_user()
    sso.dashboard_cli("user", "set-role", user_id, "dashboard", "user")
    rp = RelyingParty(sso.url, sso.scripts_client)
    try:
        with Browser() as browser:
            result = rp.login(browser, email, PASSWORD)
    finally:
        rp.close()
    assert result.tokens is not None, result.journey
    headers = {"Authorization": f"Bearer {result.tokens['access_token']}"}
    with httpx.Client(base_url=f"{sso.url}/api/v1", headers=headers, timeout=15) as api:
        assert api.get("/users").status_code == 403
        me = api.get("/me")
        assert me.status_code == 200, me.text
        assert me.json()["id"] == user_id
        assert me.json()["is_admin"] is False


def test_dashboard_frontend_login_through_nginx_gives_a_session_cookie(sso: SsoStack) -> None:
    """The backend-for-frontend login: /api/v1/auth/login → Hydra → login → consent (the
    dashboard is first-party: no screen) → /api/v1/auth/callback → HttpOnly session cookie."""
    with Browser() as browser:
        visit = browser.get(f"{sso.url}/api/v1/auth/login?return_to=/")
        assert "/auth/login?flow=" in visit.url, visit.urls
        visit = password_login(browser, visit, sso.admin_email, PASSWORD)
        assert f"{sso.url}/api/v1/auth/callback?" in " ".join(visit.urls), visit.urls
        assert visit.url == f"{sso.url}/", visit.urls
        assert visit.status == 200
        cookie = next(c for c in browser.http.cookies.jar if c.name == "dashboard_session")
        assert cookie.has_nonstandard_attr("HttpOnly")
        me = browser.http.get(f"{sso.url}/api/v1/me", headers={"Accept": "application/json"})
    assert me.status_code == 200, me.text
    assert me.json()["id"] == sso.admin_id
    assert me.json()["is_admin"] is True
