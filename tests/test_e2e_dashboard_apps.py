"""The dashboard's apps pages in the system Chromium through nginx and the real services: the
seeded admin adds Nextcloud from the catalogue, sees its client secret once and copies it and the
settings to type in, edits the app, creates a client and gives it a new secret, then deletes the
client and the app. Each secret is checked at Hydra's token endpoint (through nginx): the one
shown works, a rotated one stops working. Screenshots (light, dark, phone width):
test-artifacts/dashboard-apps/."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import httpx
import pytest
from playwright.sync_api import expect
from stack_harness.chromium import launch_chromium
from stack_harness.sso_stack import PASSWORD, SsoStack

pytestmark = [pytest.mark.requires("nginx", "mariadb", "chromium"), pytest.mark.timeout(240)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "dashboard-apps"
DESKTOP = {"width": 1100, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def admin(chromium: Any, sso: SsoStack) -> Iterator[tuple[Any, list[str]]]:
    """The seeded admin signed in, in a browser that may use the clipboard; problems noted."""
    context = chromium.new_context(locale="en-GB", viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=sso.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    # The first /api/v1/me without a session is a 401 by design (it starts the sign-in).
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not (r.status == 401 and r.url == f"{sso.url}/api/v1/me")
            else None
        ),
    )
    page.goto(f"{sso.url}/")
    page.wait_for_url(re.compile(r".*/auth/login\?flow="))
    page.fill("input[name=identifier]", sso.admin_email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[name=method][value=password]")
    page.get_by_role("heading", name="My apps").wait_for()
    yield page, problems
    context.close()


def _clipboard(page: Any) -> str:
    return str(page.evaluate("navigator.clipboard.readText()"))


def _token_error(sso: SsoStack, client_id: str, secret: str, *, basic: bool = False) -> str:
    """Hydra's answer to a made-up code: invalid_grant once the client's secret is right."""
    form = {
        "grant_type": "authorization_code",
        "code": "not-a-code",
        "redirect_uri": "https://example.org/cb",
    }
    if basic:
        auth = httpx.BasicAuth(quote_plus(client_id), quote_plus(secret))
        answer = httpx.post(f"{sso.url}/oauth2/token", data=form, auth=auth, timeout=10)
    else:
        form |= {"client_id": client_id, "client_secret": secret}
        answer = httpx.post(f"{sso.url}/oauth2/token", data=form, timeout=10)
    assert answer.status_code in (400, 401), answer.text
    return str(answer.json()["error"])


def _shot(page: Any, name: str) -> None:
    """The page light and dark, at desktop and phone width."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.screenshot(path=str(ARTIFACTS / f"{name}-{scheme}-{width}.png"), full_page=True)
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(DESKTOP)


def test_admin_adds_an_app_from_a_preset_edits_it_manages_its_clients_and_deletes_it(
    sso: SsoStack, admin: tuple[Any, list[str]], request: pytest.FixtureRequest
) -> None:
    page, problems = admin
    backend = request.node.callspec.id
    tag = secrets.token_hex(3)
    slug, url = f"cloud-{tag}", f"https://cloud-{tag}.example.org"

    page.get_by_role("navigation").get_by_role("link", name="Apps", exact=True).click()
    page.get_by_role("link", name="Add an app").click()
    page.get_by_role("heading", name="Add an app", level=1).wait_for()
    page.get_by_role("radio", name=re.compile("^Nextcloud")).check()
    preset = page.get_by_role("region", name="What the Nextcloud preset sets up")
    expect(preset.get_by_role("cell", name="groups", exact=True)).to_be_visible()
    _shot(page, f"{backend}-01-preset")
    page.get_by_label("Address", exact=True).fill(url)
    page.get_by_label("Slug (optional)").fill(slug)
    page.get_by_role("button", name="Create app").click()

    # The secret, this once: shown, copied, and accepted by Hydra.
    expect(page.get_by_text("you will not see it again", exact=False)).to_be_visible()
    shown = page.get_by_role("region", name="Client secret")
    client_id = shown.locator("dd code").first.inner_text()
    secret = shown.locator("code.secret").inner_text()
    shown.get_by_role("button", name="Copy Client secret").click()
    expect(shown.get_by_text("Copied.")).to_be_visible()
    assert _clipboard(page) == secret
    assert _token_error(sso, client_id, secret) == "invalid_grant"
    assert _token_error(sso, client_id, secret + "x") == "invalid_client"
    # The settings to type in: Nextcloud's redirect URI under the app and our discovery URL.
    page.get_by_role("button", name="Copy Redirect URI").first.click()
    assert _clipboard(page) == f"{url}/apps/user_oidc/code"
    page.get_by_role("button", name="Copy Discovery URL").first.click()
    discovery = _clipboard(page)
    assert discovery.endswith("/.well-known/openid-configuration")
    issuer = httpx.get(discovery, timeout=10).json()["issuer"]
    assert discovery.startswith(issuer.rstrip("/"))
    expect(page.get_by_role("heading", name="Or on the Nextcloud server, with occ")).to_be_visible()
    _shot(page, f"{backend}-02-created")

    page.get_by_role("link", name="Go to Nextcloud").click()
    page.get_by_role("heading", name="Nextcloud", level=1).wait_for()
    page.reload()  # the secret is gone for good: the page has the app's settings, not it
    page.get_by_role("heading", name="Nextcloud", level=1).wait_for()
    expect(page.get_by_text(secret)).to_have_count(0)
    settings = page.get_by_role("heading", name=f"Client {client_id}")
    expect(settings).to_be_visible()

    page.get_by_role("button", name="Edit app").click()
    page.get_by_label("Name", exact=True).fill(f"Cloud {tag}")
    page.get_by_label("Trusted", exact=False).check()
    page.get_by_label("Extra claims").fill('{"tier": "gold"}')
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name=f"Cloud {tag}", level=1).wait_for()
    expect(page.get_by_text("trusted (no consent screen)", exact=False)).to_be_visible()
    page.get_by_role("button", name="Copy Extra claim").click()
    assert _clipboard(page) == "tier"

    page.get_by_role("button", name="Add an OAuth2 client").click()
    page.get_by_label("Redirect URIs, one a line").fill(f"{url}/other/callback")
    page.get_by_role("button", name="Create client").click()
    made = page.get_by_text(re.compile(r"^Client .+ was created\.$"))
    expect(made).to_be_visible()
    second_id = re.sub(r"^Client (.+) was created\.$", r"\1", made.inner_text())
    first_secret = page.get_by_role("region", name="Client secret").locator("code.secret")
    second_secret = first_secret.inner_text()
    assert _token_error(sso, second_id, second_secret, basic=True) == "invalid_grant"
    card = page.get_by_role("article", name=re.compile(re.escape(second_id)))
    expect(card).to_contain_text(f"{url}/other/callback")

    first = page.get_by_role("article", name=re.compile(re.escape(client_id)))
    first.get_by_role("button", name="New secret").click()
    expect(first.get_by_text("the old one no longer works", exact=False)).to_be_visible()
    rotated = first.locator("code.secret").inner_text()
    assert rotated != secret
    assert _token_error(sso, client_id, rotated) == "invalid_grant"
    assert _token_error(sso, client_id, secret) == "invalid_client"
    _shot(page, f"{backend}-03-app-page")

    card.get_by_role("button", name="Delete client").click()
    # Named by the client's name (the app's, by default) and id.
    named = f"Cloud {tag} ({second_id})"
    expect(page.get_by_role("alertdialog", name=f"Delete the client {named}?")).to_be_visible()
    page.get_by_role("button", name=f"Delete client {named}").click()
    expect(page.get_by_role("article", name=re.compile(re.escape(second_id)))).to_have_count(0)

    page.get_by_role("button", name="Delete app").click()
    expect(page.get_by_role("alertdialog", name=f"Delete Cloud {tag}?")).to_be_visible()
    page.get_by_role("button", name=f"Delete Cloud {tag}").click()
    expect(page.get_by_text(f"Cloud {tag} was deleted.")).to_be_visible()
    expect(page.get_by_role("cell", name=slug, exact=True)).to_have_count(0)
    assert _token_error(sso, client_id, rotated) == "invalid_client"  # gone from Hydra too

    assert problems == []
