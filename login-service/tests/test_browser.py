"""A real browser (the system Chromium via Playwright) through the whole login of an app and a
TOTP enrolment, with a screenshot of every page under test-artifacts/login-service/."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from login_testkit import PASSWORD, Env

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "login-service"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Shots:
    def __init__(self) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def take(self, page: Any, name: str) -> None:
        self.count += 1
        page.screenshot(path=str(ARTIFACTS / f"{self.count:02d}-{name}.png"), full_page=True)


def _watch_console(page: Any, problems: list[str]) -> None:
    def on_console(message: Any) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", on_console)


@pytest.fixture
def demo_app(env: Env) -> Iterator[str]:
    """The devstack demo OIDC app (Authlib, PKCE, JWKS-checked ID token) on its own port."""
    from devstack.demo import DemoConfig, create_app
    from devstack.serve import bind_loopback, start_asgi

    sock = bind_loopback()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    client = env.create_client(
        client_name="Demo",
        redirect_uris=[f"{base}/demo/callback"],
        post_logout_redirect_uris=[f"{base}/demo/logged-out"],
        token_endpoint_auth_method="client_secret_basic",
    )
    env.dashboard.allow(client.client_id or "", name="Demo", role="admin")
    config = DemoConfig(
        issuer=env.stack.hydra_config.issuer,
        client_id=client.client_id or "",
        client_secret=client.client_secret or "",
        public_url=base,
        session_secret=secrets.token_hex(16),
    )
    server = start_asgi(create_app(config), sock=sock)
    try:
        yield base
    finally:
        server.stop()


def _relax_demo_form_action(context: Any, demo_app: str) -> None:
    """The demo page's CSP says form-action 'self', and Chromium applies that to the redirect
    to Hydra; behind the one-domain router that is the same origin, here (one port per service)
    it is not. Only the demo's own page loses its CSP; ours are checked as they are."""

    def strip_csp(route: Any) -> None:
        response = route.fetch()
        headers = {
            k: v for k, v in response.headers.items() if k.lower() != "content-security-policy"
        }
        route.fulfill(response=response, headers=headers)

    context.route(f"{demo_app}/demo/", strip_csp)


def _sign_in(page: Any, email: str) -> None:
    page.get_by_label("Email or username").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.requires("chromium")
def test_browser_demo_app_login_totp_enrolment_and_logout(
    env: Env, demo_app: str, chromium: Any
) -> None:
    _, email = env.create_user(name="Ada Lovelace", username=f"ada-{secrets.token_hex(4)}")
    shots = Shots()
    problems: list[str] = []
    context = chromium.new_context(locale="en-GB")
    _relax_demo_form_action(context, demo_app)
    page = context.new_page()
    _watch_console(page, problems)

    page.goto(f"{demo_app}/demo/")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/auth/login?flow=*")
    shots.take(page, "login")
    _sign_in(page, email)

    page.wait_for_url("**/auth/consent?*")
    shots.take(page, "consent")
    assert page.get_by_role("heading", name="Allow Demo?").is_visible()
    page.get_by_role("button", name="Allow").click()

    page.wait_for_url(f"{demo_app}/demo/")
    shots.take(page, "demo-app-logged-in")
    assert page.get_by_role("heading", name="Hello, Ada Lovelace").is_visible()
    assert "admin" in page.content()

    page.goto(f"{env.login_url}/auth/settings")
    page.wait_for_url("**/auth/settings?flow=*")
    shots.take(page, "settings")
    totp_form = page.locator("form[data-group=totp]")
    secret = totp_form.locator("code.secret").inner_text().strip()
    totp_form.get_by_label("Verify code").fill(pyotp.TOTP(secret).now())
    totp_form.get_by_role("button").click()
    page.wait_for_load_state()
    shots.take(page, "totp-enabled")
    assert "Your changes have been saved" in page.content()

    # Unlinking asks first, without JavaScript: the question opens; not answering submits nothing.
    before = page.url
    unlink = page.locator("button[name=totp_unlink]")
    assert not unlink.is_visible()
    page.locator("form[data-group=totp] summary").click()
    assert page.get_by_text(
        "Unlink your authenticator app? Signing in will no longer ask for its code."
    ).is_visible()
    assert unlink.is_visible()
    assert unlink.inner_text() == "Yes, unlink the app"
    page.locator("form[data-group=totp] summary").click()
    assert not unlink.is_visible()
    assert page.url == before

    page.goto(f"{demo_app}/demo/")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/auth/logout?logout_challenge=*")
    shots.take(page, "logout-confirm")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{demo_app}/demo/logged-out*")
    shots.take(page, "demo-app-logged-out")

    # Logged out of both: the password again, then the authenticator code; consent remembered.
    page.goto(f"{demo_app}/demo/")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/auth/login?flow=*")
    _sign_in(page, email)
    page.wait_for_selector("form[data-group=totp]")
    shots.take(page, "second-factor")
    page.locator("form[data-group=totp] input[name=totp_code]").fill(pyotp.TOTP(secret).now())
    page.locator("form[data-group=totp] button").click()
    page.wait_for_url(f"{demo_app}/demo/")
    shots.take(page, "demo-app-after-totp")
    assert page.get_by_role("heading", name="Hello, Ada Lovelace").is_visible()

    # Our own "sign out": Kratos, then Hydra's logout and its challenge, then our page.
    page.goto(f"{env.login_url}/auth/logout")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/auth/logged-out")
    shots.take(page, "signed-out")
    context.close()

    assert not [p for p in problems if "Content Security Policy" in p], problems
    assert shots.count == 10


@pytest.mark.requires("chromium")
def test_browser_an_expired_login_form_keeps_the_typed_email(env: Env, chromium: Any) -> None:
    _, email = env.create_user()
    problems: list[str] = []
    page = chromium.new_page(locale="en-GB")
    _watch_console(page, problems)
    env.stack.kratos_config.flow_lifespan = 1
    env.stack.apply()
    page.goto(f"{env.login_url}/auth/login")
    first = page.url
    env.stack.let_time_pass(1.2)
    env.stack.kratos_config.flow_lifespan = 3600
    env.stack.apply()
    page.locator('input[name="identifier"]').fill(email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/auth/login?flow=" in url and url != first)
    page.get_by_text("This form expired less than a minute ago.").wait_for()
    assert page.locator('input[name="identifier"]').input_value() == email
    assert page.locator('input[name="password"]').input_value() == ""
    assert page.evaluate("Object.keys(sessionStorage)") == []
    assert not [p for p in problems if "Content Security Policy" in p], problems
    page.close()


def _assert_accessible(page: Any, name: str, scheme: str, shots: Shots) -> None:
    from devstack.testing.axe import describe, violations

    page.wait_for_load_state()
    shots.take(page, f"{scheme}-{name}")
    found = violations(page)
    assert not found, f"{name} ({scheme}):\n{describe(found)}"


@pytest.mark.requires("chromium")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_browser_every_page_passes_axe_in_light_and_dark(
    env: Env, chromium: Any, scheme: str
) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "")
    shots = Shots()
    context = chromium.new_context(locale="en-GB", color_scheme=scheme)
    page = context.new_page()

    page.goto(f"{env.login_url}/auth/login")
    _assert_accessible(page, "login", scheme, shots)
    page.get_by_label("Email or username").fill(email)
    page.get_by_label("Password").fill("not the password 123")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").first.wait_for()
    _assert_accessible(page, "login-error", scheme, shots)
    for kind in ("recovery", "verification"):
        page.goto(f"{env.login_url}/auth/{kind}")
        _assert_accessible(page, kind, scheme, shots)
    page.goto(f"{env.login_url}/auth/error?error=access_denied&error_description=No+access")
    _assert_accessible(page, "error", scheme, shots)
    page.goto(f"{env.login_url}/auth/no-such-page")
    _assert_accessible(page, "not-found", scheme, shots)

    page.goto(env.authorize_url(client))
    page.wait_for_url("**/auth/login?flow=*")
    _sign_in(page, email)
    page.wait_for_url("**/auth/consent?*")
    _assert_accessible(page, "consent", scheme, shots)
    page.goto(f"{env.login_url}/auth/settings")
    page.wait_for_url("**/auth/settings?flow=*")
    _assert_accessible(page, "settings", scheme, shots)
    page.locator("form[data-group=lookup_secret] button").first.click()
    page.wait_for_selector("ul.codes")
    _assert_accessible(page, "settings-backup-codes", scheme, shots)
    page.goto(f"{env.login_url}/auth/logout")
    _assert_accessible(page, "logout", scheme, shots)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/auth/logged-out")
    _assert_accessible(page, "logged-out", scheme, shots)
    context.close()


@pytest.mark.requires("chromium")
def test_browser_a_new_password_field_says_the_rules_and_can_be_shown(
    env: Env, chromium: Any
) -> None:
    _, email = env.create_user()
    page = chromium.new_page(locale="en-GB")
    page.goto(f"{env.login_url}/auth/login")
    _sign_in(page, email)
    page.wait_for_load_state()
    page.goto(f"{env.login_url}/auth/settings")
    page.wait_for_url("**/auth/settings?flow=*")
    form = page.locator("form[data-group=password]")
    field = form.locator("input[name=password]")
    rules = "At least 10 characters. Not too similar to your email address or username."
    assert form.get_by_text(rules).is_visible()
    rules_id = form.locator(".rules").get_attribute("id")
    assert rules_id in (field.get_attribute("aria-describedby") or "").split()
    assert field.get_attribute("autocomplete") == "new-password"
    toggle = form.get_by_role("button", name="Show password")
    assert toggle.get_attribute("aria-pressed") == "false"
    field.fill("a typed secret 123")
    toggle.click()
    assert field.get_attribute("type") == "text"
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    assert field.get_attribute("type") == "password"
    assert toggle.get_attribute("aria-pressed") == "false"
    # Too short: Kratos's own error follows the same rules.
    field.fill("short")
    toggle.click()
    form.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    form = page.locator("form[data-group=password]")
    assert form.get_by_role("alert").is_visible()
    assert form.locator("input[name=password]").get_attribute("type") == "password"
    page.close()


@pytest.mark.requires("chromium")
def test_browser_backup_codes_can_be_downloaded_copied_and_printed(env: Env, chromium: Any) -> None:
    _, email = env.create_user()
    problems: list[str] = []
    context = chromium.new_context(locale="en-GB", accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=env.login_url)
    page = context.new_page()
    _watch_console(page, problems)
    page.goto(f"{env.login_url}/auth/login")
    _sign_in(page, email)
    page.wait_for_load_state()
    page.goto(f"{env.login_url}/auth/settings")
    page.locator("form[data-group=lookup_secret] button").first.click()
    page.wait_for_selector("ul.codes")
    codes = [c.strip() for c in page.locator("ul.codes code").all_inner_texts()]
    assert len(codes) >= 8

    with page.expect_download() as download:
        page.get_by_role("button", name="Download (.txt)").click()
    assert download.value.suggested_filename == "backup-recovery-codes.txt"
    saved = Path(download.value.path()).read_text()
    assert saved.split() == codes

    page.get_by_role("button", name="Copy").click()
    page.get_by_role("status").filter(has_text="Copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()").split() == codes

    page.emulate_media(media="print")
    assert page.locator("ul.codes").is_visible()
    assert not page.locator("body > header").is_visible()
    assert not page.locator("form[data-group=password]").is_visible()
    page.emulate_media(media="screen")
    assert page.get_by_role("button", name="Print").is_visible()
    context.close()
    assert not [p for p in problems if "Content Security Policy" in p], problems


@pytest.mark.requires("chromium")
def test_browser_settings_sections_save_on_their_own_and_the_banner_follows(
    env: Env, chromium: Any
) -> None:
    _, email = env.create_user()
    page = chromium.new_page(locale="en-GB")
    page.goto(f"{env.login_url}/auth/login")
    _sign_in(page, email)
    page.wait_for_load_state()
    page.goto(f"{env.login_url}/auth/settings")
    page.wait_for_url("**/auth/settings?flow=*")
    sections = page.locator("form[aria-labelledby]")
    names = [f.get_attribute("data-group") for f in sections.all()]
    assert {"profile", "password", "totp", "lookup_secret"} <= set(names)
    for form in sections.all():  # each section is a named form with its own submit
        assert form.locator("h2").count() == 1
        assert form.locator("button, summary").count() >= 1
    saved = "Your changes have been saved!"

    profile = page.get_by_role("form", name="Profile")
    profile.get_by_label("Name", exact=True).fill("Ada King")
    profile.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_role("form", name="Profile").get_by_text(saved).is_visible()
    assert page.get_by_text(saved).count() == 1

    password = page.get_by_role("form", name="Password")
    password.locator("input[name=password]").fill("a brand new passphrase 2026")
    password.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_role("form", name="Password").get_by_text(saved).is_visible()
    assert page.get_by_role("form", name="Profile").get_by_text(saved).count() == 0
    page.close()
