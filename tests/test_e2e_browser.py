"""The same login in a real browser: headless Chromium (Playwright, the system /usr/bin/chromium)
through nginx, with a screenshot of every page under test-artifacts/e2e/<backend>/."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from stack_harness.admin import admin_api, invitation_mail, invitation_parts
from stack_harness.browser import RelyingParty
from stack_harness.chromium import Screenshots, launch_chromium
from stack_harness.sso_stack import APP_ORIGIN, CALLBACK, PASSWORD, SsoStack

pytestmark = [pytest.mark.requires("nginx", "mariadb", "chromium"), pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(locale="en-GB", viewport={"width": 1000, "height": 800})
    # The demo app's callback: answered here, so the browser lands on a page we can read.
    context.route(
        f"{APP_ORIGIN}/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<h1>Demo app: signed in</h1>"
        ),
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def shots(sso: SsoStack, request: pytest.FixtureRequest) -> Screenshots:
    return Screenshots(sso.artifacts, request.node.name)


def test_demo_app_login_in_chromium(sso: SsoStack, page: Any, shots: Screenshots) -> None:
    user_id, email = sso.create_user(name="Chris Chromium")
    sso.dashboard_cli("user", "set-role", user_id, "demo", "user")
    rp = RelyingParty(sso.url, sso.demo_client)
    try:
        url, state, nonce, verifier = rp.authorization_url()
        page.goto(url)
        page.wait_for_url(re.compile(r".*/auth/login\?flow="))
        shots.take(page, "login")
        page.fill("input[name=identifier]", email)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[name=method][value=password]")

        page.wait_for_url(re.compile(r".*/auth/consent\?consent_challenge="))
        assert page.get_by_text("Demo").first.is_visible()
        shots.take(page, "consent")
        page.click("button[name=action][value=accept]")

        page.wait_for_url(f"{CALLBACK}?**")
        shots.take(page, "app-callback")
        tokens = rp.finish(page.url, state=state, nonce=nonce, verifier=verifier)
    finally:
        rp.close()
    claims = tokens["id_claims"]
    assert claims["sub"] == user_id
    assert claims["email"] == email
    assert claims["role"] == "user"


def test_wrong_password_shows_a_message_and_the_dashboard_sends_to_the_login(
    sso: SsoStack, page: Any, shots: Screenshots
) -> None:
    _, email = sso.create_user()
    # `/` is the dashboard frontend: without a session it sends the browser to sign in.
    page.goto(f"{sso.url}/")
    page.wait_for_url(re.compile(r".*/auth/login\?flow="))
    shots.take(page, "home-to-login")

    page.goto(f"{sso.url}/auth/settings")
    page.wait_for_url(re.compile(r".*/auth/login\?flow="))
    page.fill("input[name=identifier]", email)
    page.fill("input[name=password]", "not the password")
    page.click("button[name=method][value=password]")
    page.wait_for_load_state()
    shots.take(page, "wrong-password")
    assert page.url.startswith(f"{sso.url}/auth/login?flow=")
    assert page.get_by_text("credentials are invalid").is_visible()

    page.fill("input[name=identifier]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[name=method][value=password]")
    page.wait_for_url(lambda url: "/auth/login?flow=" not in url)
    shots.take(page, "signed-in")
    page.goto(f"{sso.url}/auth/settings")
    page.wait_for_url(re.compile(r".*/auth/settings\?flow="))
    shots.take(page, "settings")
    assert page.locator("input[name=password]").count() >= 1


def test_invited_person_sets_a_password_logs_in_then_is_refused_without_role_in_chromium(
    sso: SsoStack, page: Any, shots: Screenshots
) -> None:
    email = f"chromium-invitee-{secrets.token_hex(4)}@example.org"
    with admin_api(sso) as api:
        created = api.post(
            "/users",
            json={"email": email, "roles": [{"app": "demo", "role": "user"}], "invite": True},
        )
        assert created.status_code == 201, created.text
        user_id = created.json()["id"]
        link, code = invitation_parts(invitation_mail(sso, email)["text"])

        page.goto(link)
        page.wait_for_url(re.compile(r".*/auth/recovery\?flow="))
        shots.take(page, "recovery-code")
        page.fill("input[name=code]", code)
        page.click("button[name=method][value=code]")
        page.wait_for_url(re.compile(r".*/auth/settings\?flow="))
        shots.take(page, "choose-password")
        page.fill("input[name=password]", "chosen in chromium 2024")
        page.click("button[name=method][value=password]")
        page.wait_for_url(f"{sso.url}/")  # the password saved, the invitation ends on the dashboard
        shots.take(page, "password-saved")

        rp = RelyingParty(sso.url, sso.demo_client)
        try:
            url, state, nonce, verifier = rp.authorization_url()
            page.goto(url)  # the recovery left a session: no password asked again
            page.wait_for_url(re.compile(r".*/auth/consent\?consent_challenge="))
            shots.take(page, "consent")
            page.click("button[name=action][value=accept]")
            page.wait_for_url(f"{CALLBACK}?**")
            tokens = rp.finish(page.url, state=state, nonce=nonce, verifier=verifier)
            assert tokens["id_claims"]["sub"] == user_id
            assert tokens["id_claims"]["role"] == "user"

            removed = api.patch(f"/users/{user_id}", json={"roles": []})
            assert removed.status_code == 200, removed.text

            url, *_ = rp.authorization_url()
            page.goto(url)
            page.wait_for_url(re.compile(r".*/auth/consent\?consent_challenge="))
            shots.take(page, "consent-refused")
            assert page.get_by_text("do not have access to Demo").first.is_visible()
        finally:
            rp.close()


def test_with_an_authenticator_app_set_up_the_app_login_asks_for_the_second_factor(
    sso: SsoStack, page: Any, shots: Screenshots
) -> None:
    import pyotp

    user_id, email = sso.create_user(name="Tess Totp")
    sso.dashboard_cli("user", "set-role", user_id, "demo", "user")
    page.goto(f"{sso.url}/auth/settings")
    page.wait_for_url(re.compile(r".*/auth/login\?flow="))
    page.fill("input[name=identifier]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[name=method][value=password]")
    page.wait_for_url(lambda url: "/auth/login?flow=" not in url)
    page.goto(f"{sso.url}/auth/settings")
    page.wait_for_url(re.compile(r".*/auth/settings\?flow="))
    shots.take(page, "settings")
    secret = re.search(r"\b[A-Z2-7]{32}\b", page.inner_text("main"))
    assert secret, page.inner_text("main")
    totp = pyotp.TOTP(secret.group(0))
    page.fill("input[name=totp_code]", totp.now())
    page.click("button[name=method][value=totp]")
    page.wait_for_load_state()
    shots.take(page, "authenticator-added")
    assert page.get_by_text("saved").first.is_visible()

    page.context.clear_cookies()  # a new browser session: password, then the code
    rp = RelyingParty(sso.url, sso.demo_client)
    try:
        url, state, nonce, verifier = rp.authorization_url()
        page.goto(url)
        page.wait_for_url(re.compile(r".*/auth/login\?flow="))
        shots.take(page, "login")
        page.fill("input[name=identifier]", email)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[name=method][value=password]")
        page.wait_for_selector("input[name=totp_code]")
        shots.take(page, "second-factor")
        page.fill("input[name=totp_code]", totp.now())
        page.click("button[name=method][value=totp]")
        page.wait_for_url(re.compile(r".*/auth/consent\?consent_challenge="))
        shots.take(page, "consent")
        page.click("button[name=action][value=accept]")
        page.wait_for_url(f"{CALLBACK}?**")
        shots.take(page, "app-callback")
        tokens = rp.finish(page.url, state=state, nonce=nonce, verifier=verifier)
    finally:
        rp.close()
    assert tokens["id_claims"]["sub"] == user_id


def test_a_dutch_invitation_welcomes_sets_a_password_lands_on_the_dashboard_verified_in_chromium(
    sso: SsoStack, page: Any, shots: Screenshots
) -> None:
    """The mail (from the mail sink) is Dutch and names the inviter and the app; its link
    and the password step say "Welkom, kies een wachtwoord" (the browser asks for English);
    afterwards the person is on `/`, the address is verified and no confirmation mail came."""
    email = f"welkom-{secrets.token_hex(4)}@example.org"
    with admin_api(sso) as api:
        created = api.post(
            "/users",
            json={
                "email": email,
                "name": "Nina",
                "roles": [{"app": "demo", "role": "user"}],
                "invite": True,
                "language": "nl",
            },
        )
        assert created.status_code == 201, created.text
        user_id = created.json()["id"]
    (mail,) = sso.ory.wait_for_mails(email, 1)
    assert mail["subject"] == "Grace Admin heeft je uitgenodigd voor Stackspin"
    assert (mail["text"] or "").startswith("Hallo Nina,")
    assert "om Demo te gebruiken" in (mail["text"] or "")
    assert 'lang="nl"' in (mail["html"] or "")
    link, code = invitation_parts(mail["text"] or "")

    page.goto(link)
    page.wait_for_url(re.compile(r".*/auth/recovery\?flow="))
    assert page.locator("h1").inner_text() == "Welkom, kies een wachtwoord"
    shots.take(page, "welcome-code")
    page.fill("input[name=code]", code)
    page.click("button[name=method][value=code]")
    page.wait_for_url(re.compile(r".*/auth/settings\?flow="))
    assert page.locator("h1").inner_text() == "Welkom, kies een wachtwoord"
    assert "wijzig" not in page.locator("main").inner_text().lower()
    shots.take(page, "welcome-password")
    page.fill("input[name=password]", "gekozen in chromium 2024")
    page.click("button[name=method][value=password]")
    page.wait_for_url(re.compile(rf"^{re.escape(sso.url)}/($|[?#])"))
    shots.take(page, "dashboard")

    identity = sso.kratos.get_identity(user_id)
    assert [a.verified for a in identity.verifiable_addresses or []] == [True]
    sso.ory.let_the_courier_send()
    assert [m["subject"] for m in sso.ory.mails(to=email)] == [mail["subject"]]


def test_kratoss_own_recovery_mail_is_dutch_when_the_page_is_in_chromium(
    sso: SsoStack, page: Any
) -> None:
    user_id, email = sso.create_user(name="Daan")
    page.goto(f"{sso.url}/auth/recovery?lang=nl")
    page.wait_for_url(re.compile(r".*/auth/recovery\?flow="))
    page.fill("input[name=email]", email)
    page.click("button[name=method][value=code]")
    page.wait_for_load_state()
    (mail,) = sso.ory.wait_for_mails(email, 1)
    assert mail["subject"] == "Je Stackspin-herstelcode"
    assert (mail["text"] or "").startswith("Hallo,")
    assert user_id
