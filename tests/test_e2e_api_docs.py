"""/api/docs in the system Chromium through nginx, with the network cut off at our origin: Swagger
UI renders every operation from assets we serve, under a CSP that allows nothing else, and a
sign-in started on the page comes back to it with the session "Try it out" then uses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from stack_harness.chromium import launch_chromium
from stack_harness.sso_stack import PASSWORD, SsoStack

pytestmark = [pytest.mark.requires("nginx", "mariadb", "chromium"), pytest.mark.timeout(180)]


class OfflineBrowser:
    """A browser context that lets only requests to the stack's origin out (every other one is
    noted and aborted) and notes CSP violations."""

    def __init__(self, chromium: Any, origin: str) -> None:
        self.origin = origin
        self.left_the_origin: list[str] = []
        self.refused: list[str] = []
        self.context = chromium.new_context(locale="en-GB", viewport={"width": 1200, "height": 900})
        self.context.route("**/*", self._only_our_origin)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.page.on("console", self._note_console)

    def _only_our_origin(self, route: Any) -> None:
        url = route.request.url
        if url == self.origin or url.startswith(f"{self.origin}/"):
            route.continue_()
        else:
            self.left_the_origin.append(url)
            route.abort("internetdisconnected")

    def _note_console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.refused.append(message.text)


@pytest.fixture
def browser(sso: SsoStack) -> Iterator[OfflineBrowser]:
    with launch_chromium() as chromium:
        offline = OfflineBrowser(chromium, sso.url)
        yield offline
        offline.context.close()


def test_the_docs_render_every_operation_from_our_origin_under_a_strict_csp(
    sso: SsoStack, browser: OfflineBrowser
) -> None:
    page = browser.page
    answers: list[Any] = []
    page.on("response", lambda answer: answers.append(answer))
    response = page.goto(f"{sso.url}/api/docs")
    assert response is not None
    assert response.status == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp
    assert "default-src 'none'" in csp
    assert "http" not in csp  # no other origin, CDN or not

    expect(page.locator(".opblock").first).to_be_visible()
    operations = len(sso_operations(sso))
    expect(page.locator(".opblock")).to_have_count(operations)
    users = page.locator(".opblock-summary-path", has_text=re.compile("^/api/v1/users$"))
    expect(users.first).to_be_visible()
    assert browser.left_the_origin == []
    assert browser.refused == []
    assets = [a for a in answers if "/api/docs/assets/" in a.url]
    assert {a.url.rsplit("/", 1)[1] for a in assets} >= {"swagger-ui-bundle.js", "swagger-ui.css"}
    for asset in assets:
        assert asset.status == 200, asset.url
        assert asset.headers["content-security-policy"] == csp


def test_signing_in_from_the_docs_returns_to_the_docs_and_try_it_out_runs_as_you(
    sso: SsoStack, browser: OfflineBrowser
) -> None:
    page = browser.page
    page.goto(f"{sso.url}/api/docs")
    page.get_by_role("link", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/auth/login\?flow="))
    page.fill("input[name=identifier]", sso.admin_email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[name=method][value=password]")
    page.wait_for_url(f"{sso.url}/api/docs")
    expect(page.locator("#docs-who")).to_have_text(re.compile(f"Signed in as {sso.admin_email}"))

    me = page.locator(".opblock-get", has=page.locator("[data-path='/api/v1/me']"))
    me.locator(".opblock-summary").click()
    me.get_by_role("button", name="Try it out").click()
    me.get_by_role("button", name="Execute").click()
    answered = me.locator(".live-responses-table tr.response")
    expect(answered.locator(".response-col_status").first).to_have_text("200")
    expect(answered.locator(".microlight").first).to_contain_text(sso.admin_email)
    assert browser.left_the_origin == []
    assert browser.refused == []


def sso_operations(sso: SsoStack) -> list[tuple[str, str]]:
    document = httpx.get(f"{sso.url}/api/openapi.json", timeout=10).json()
    return [
        (method, path)
        for path, operations in document["paths"].items()
        for method in operations
        if method in ("get", "put", "post", "delete", "patch")
    ]
