"""Every dashboard page in Chromium through nginx: English and Dutch, light and dark, desktop and
phone width (390 px); a full-page screenshot of each (test-artifacts/dashboard-pages/) and
axe-core (WCAG 2.1 AA and best practices) with no violation.

The stand-in backend only: the pages are the same on both (test_e2e_dashboard*.py run the flows
on real Ory too). One signed-in browser context per colour scheme and width, reused for every
page and both languages (the `login_lang` cookie), so the matrix costs four sign-ins.

`README_SCREENSHOT=1` also writes the README's pictures, docs/images/my-apps.png and
dashboard-users.png (light, desktop, English): see README.md for the command."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from devstack.testing import axe, services
from playwright.sync_api import expect
from stack_harness.admin import admin_api
from stack_harness.chromium import launch_chromium
from stack_harness.dashboard import DESKTOP, PHONE, Person
from stack_harness.processes import run_click_commands
from stack_harness.sso_stack import SsoStack

pytestmark = [pytest.mark.requires("nginx", "mariadb", "chromium"), pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts" / "dashboard-pages"
# (route, language, scheme, width) → the README's picture of it (README_SCREENSHOT=1).
README_PICTURES = {
    ("/", "en", "light", "desktop"): REPO / "docs" / "images" / "my-apps.png",
    ("/users", "en", "light", "desktop"): REPO / "docs" / "images" / "dashboard-users.png",
}


@dataclass(frozen=True)
class Route:
    name: str
    # `{person}`: a user with a role and a session; `{app}`: the demo app's slug.
    path: str


# Every page of the dashboard, one line each.
ROUTES = [
    Route("my-apps", "/"),
    Route("users", "/users"),
    Route("users-new", "/users/new"),
    Route("users-import", "/users/import"),
    Route("user", "/users/{person}"),
    Route("apps", "/apps"),
    Route("apps-new", "/apps/new"),
    Route("app", "/apps/{app}"),
    Route("groups", "/groups"),
    Route("group", "/groups/{group}"),
    Route("invitations", "/invitations"),
    Route("audit", "/audit"),
    Route("not-found", "/no-such-page"),
]
LANGUAGES = ["en", "nl"]
SCHEMES = ["light", "dark"]
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def places(sso: SsoStack) -> dict[str, str]:
    """What the routes' placeholders stand for, and a few apps on the admin's My apps: made
    once for the module."""
    person, email = sso.create_user(name="Pat Pages")
    commands = [["user", "set-role", person, "demo", "user"]]
    for slug, name, url in (
        ("cloud", "Nextcloud", "https://cloud.example.org/"),
        ("chat", "Zulip", "https://chat.example.org/"),
        ("wiki", "Wiki", "https://wiki.example.org/"),
    ):
        commands += [
            ["app", "create", slug, "--name", name, "--url", url],
            ["user", "set-role", sso.admin_id, slug, "user"],
        ]
    run_click_commands("dashboard_api.cli:main", commands, env=sso.dashboard_env)
    sso.api_session(email)  # a session on their page, with its "End this session" button
    with admin_api(sso) as api:
        made = api.post("/groups", json={"name": "Editors", "description": "Write the wiki"})
        assert made.status_code == 201, made.text
        group = str(made.json()["id"])
        invited = api.post(
            "/users",
            json={"email": f"ivy-{person[:8]}@example.org", "name": "Ivy Invited", "invite": True},
        )
        assert invited.status_code == 201, invited.text
    return {"person": person, "app": "cloud", "group": group}


@pytest.fixture(scope="module")
def admins(chromium: Any, sso: SsoStack) -> Iterator[dict[tuple[str, str], Person]]:
    """The signed-in admin's browser per (scheme, width), made on first use."""
    made: dict[tuple[str, str], Person] = {}
    yield made
    for person in made.values():
        person.close()


def _admin(
    admins: dict[tuple[str, str], Person], chromium: Any, sso: SsoStack, scheme: str, width: str
) -> Person:
    if (scheme, width) not in admins:
        person = Person(chromium, sso, color_scheme=scheme, viewport=WIDTHS[width])
        person.sign_in(sso.admin_email)
        admins[scheme, width] = person
    return admins[scheme, width]


def _settled(page: Any) -> None:
    """The page's data arrived: nothing loading, no request in flight, a heading shown."""
    page.wait_for_load_state("networkidle")
    expect(page.locator("main h1").first).to_be_visible()
    expect(page.locator("p.state[role=status]")).to_have_count(0)


def _standin_only() -> list[str]:
    return [b for b in ("standin",) if b in services.ory_backends()]


@pytest.mark.parametrize("sso", _standin_only(), indirect=True)
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_page_is_accessible_in_every_look(
    sso: SsoStack,
    chromium: Any,
    admins: dict[tuple[str, str], Person],
    places: dict[str, str],
    route: Route,
    language: str,
    scheme: str,
    width: str,
) -> None:
    admin = _admin(admins, chromium, sso, scheme, width)
    admin.context.add_cookies([{"name": "login_lang", "value": language, "url": sso.url}])
    admin.problems.clear()
    page = admin.page
    page.goto(sso.url + route.path.format(**places))
    _settled(page)
    expect(page.locator("html")).to_have_attribute("lang", re.compile(f"^{language}"))
    expect(page.get_by_role("alert")).to_have_count(0)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{route.name}-{language}-{scheme}-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    picture = README_PICTURES.get((route.path, language, scheme, width))
    if picture is not None and os.environ.get("README_SCREENSHOT"):
        page.screenshot(path=str(picture))

    found = axe.violations(page)
    assert found == [], axe.describe(found)
    assert admin.problems == []
