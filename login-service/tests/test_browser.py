"""A real browser (the system Chromium via Playwright) through the whole login of an app and a
TOTP enrolment, with a screenshot of every page under test-artifacts/login-service/."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyotp
import pytest
from login_testkit import Env

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


@pytest.mark.requires("chromium")
def test_browser_login_and_totp_enrolment(env: Env, chromium: Any) -> None:
    _, email = env.create_user(name="Ada Lovelace", username="ada")
    callback = f"{env.dashboard.url}/callback"
    env.dashboard.server.expect_request("/callback").respond_with_data(
        "<!doctype html><title>Notes</title><h1>Signed in to Notes</h1>",
        content_type="text/html",
    )
    client = env.create_client(redirect_uris=[callback])
    env.dashboard.allow(client.client_id or "", name="Notes")

    def authorize_url() -> str:
        params = {
            "client_id": client.client_id,
            "response_type": "code",
            "scope": "openid email profile",
            "redirect_uri": callback,
            "state": secrets.token_urlsafe(12),
            "nonce": secrets.token_urlsafe(12),
        }
        return f"{env.hydra_public_url}/oauth2/auth?{urlencode(params)}"

    shots = Shots()
    problems: list[str] = []
    context = chromium.new_context(locale="en-GB")
    page = context.new_page()
    _watch_console(page, problems)

    page.goto(authorize_url())
    page.wait_for_url("**/auth/login?flow=*")
    shots.take(page, "login")
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("Password").fill("correct horse battery staple 42")
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/auth/consent?*")
    shots.take(page, "consent")
    assert page.get_by_role("heading", name="Allow Notes?").is_visible()
    page.get_by_role("button", name="Allow").click()

    page.wait_for_url(f"{callback}?*")
    shots.take(page, "app")
    assert "code=" in page.url

    page.goto(f"{env.login_url}/auth/settings")
    page.wait_for_url("**/auth/settings?flow=*")
    shots.take(page, "settings")
    secret = page.locator("form[data-group=totp] code.secret").inner_text().strip()
    totp_form = page.locator("form[data-group=totp]")
    totp_form.get_by_label("Verify code").fill(pyotp.TOTP(secret).now())
    totp_form.get_by_role("button").click()
    page.wait_for_load_state()
    shots.take(page, "totp-enabled")
    assert "Your changes have been saved" in page.content()
    context.close()

    # A new browser: password, then the authenticator code, then the app (consent remembered).
    context = chromium.new_context(locale="en-GB")
    page = context.new_page()
    _watch_console(page, problems)
    page.goto(authorize_url())
    page.wait_for_url("**/auth/login?flow=*")
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("Password").fill("correct horse battery staple 42")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("form[data-group=totp]")
    shots.take(page, "second-factor")
    page.locator("form[data-group=totp] input[name=totp_code]").fill(pyotp.TOTP(secret).now())
    page.locator("form[data-group=totp] button").click()
    page.wait_for_url(f"{callback}?*")
    shots.take(page, "app-after-totp")
    context.close()

    assert not [p for p in problems if "Content Security Policy" in p], problems
    assert shots.count == 7
