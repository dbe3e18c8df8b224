"""The admin console's groups, invitations and audit log in the system Chromium through nginx
and the real services: the seeded admin creates a group, adds a person found by search and a
role on the demo app, reads both in the audit log as sentences with names, then resends and
withdraws an invitation. Screenshots: test-artifacts/dashboard-admin/."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from stack_harness.chromium import launch_chromium
from stack_harness.sso_stack import PASSWORD, SsoStack

pytestmark = [pytest.mark.requires("nginx", "mariadb", "chromium"), pytest.mark.timeout(240)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "dashboard-admin"
DESKTOP = {"width": 1100, "height": 800}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def admin_page(chromium: Any, sso: SsoStack) -> Iterator[tuple[Any, list[str]]]:
    """The seeded admin (Grace Admin) signed in, and the problems the page ran into."""
    context = chromium.new_context(locale="en-GB", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    def on_response(response: Any) -> None:
        # The first /api/v1/me without a session is a 401 by design (it starts the sign-in).
        if response.status >= 400 and not (
            response.status == 401 and response.url == f"{sso.url}/api/v1/me"
        ):
            problems.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.goto(f"{sso.url}/")
    page.wait_for_url(re.compile(r".*/auth/login\?flow="))
    page.fill("input[name=identifier]", sso.admin_email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[name=method][value=password]")
    page.wait_for_url(f"{sso.url}/")
    page.get_by_role("heading", name="My apps").wait_for()
    yield page, problems
    context.close()


def _shot(page: Any, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_admin_builds_a_group_and_reads_it_in_the_audit_log_as_words(
    sso: SsoStack, admin_page: tuple[Any, list[str]], request: pytest.FixtureRequest
) -> None:
    page, problems = admin_page
    folder = ARTIFACTS / request.node.callspec.id
    ada_id, ada_email = sso.create_user(name="Ada Lovelace")
    # Made in Kratos directly: the search sees her once reconcile has run (docs/dashboard-api.md).
    sso.dashboard_cli("reconcile", "--repair")
    group = f"crew-{secrets.token_hex(3)}"
    nav = page.get_by_role("navigation")

    nav.get_by_role("link", name="Groups", exact=True).click()
    page.get_by_role("heading", name="Groups", level=1).wait_for()
    page.get_by_label("Name", exact=True).fill(group)
    page.get_by_label("Description", exact=True).fill("The people on call")
    page.get_by_role("button", name="Create a group").click()
    page.get_by_role("heading", name=group, level=1).wait_for()
    expect(page.get_by_text(f"Group {group} was created.")).to_be_visible()

    page.get_by_label("Add a person (email, name or username)").fill(ada_email)
    page.get_by_role("button", name="Find", exact=True).click()
    page.get_by_role("button", name="Add Ada Lovelace").click()
    expect(page.get_by_role("link", name="Ada Lovelace")).to_have_attribute(
        "href", f"/users/{ada_id}"
    )
    page.get_by_label("App", exact=True).select_option("demo")
    page.get_by_label("Role", exact=True).select_option("user")
    page.get_by_role("button", name="Give the role").click()
    expect(page.get_by_role("button", name="Remove the role on Demo")).to_be_visible()
    _shot(page, folder, "group")

    nav.get_by_role("link", name="Audit log", exact=True).click()
    page.get_by_role("heading", name="Audit log", level=1).wait_for()
    log = page.get_by_role("table")
    expect(log.get_by_text(f"Grace Admin added Ada Lovelace to the group {group}.")).to_be_visible()
    expect(
        log.get_by_text(f"Grace Admin gave the group {group} the role user on Demo.")
    ).to_be_visible()
    expect(log.get_by_text(f"Grace Admin created the group {group}.")).to_be_visible()
    # Only what happened to the group: the same three, nothing else.
    log.get_by_role("button", name=f"Only what happened to {group}").first.click()
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(3)
    _shot(page, folder, "audit")

    # The group page's delete asks first, naming the group.
    nav.get_by_role("link", name="Groups", exact=True).click()
    page.get_by_role("link", name=group, exact=True).click()
    page.get_by_role("button", name="Delete group").click()
    dialog = page.get_by_role("alertdialog", name=f"Delete the group {group}?")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name=f"Delete {group}").click()
    expect(page.get_by_text(f"Group {group} was deleted.")).to_be_visible()
    assert problems == []


def test_admin_resends_and_withdraws_an_invitation(
    sso: SsoStack, admin_page: tuple[Any, list[str]], request: pytest.FixtureRequest
) -> None:
    page, problems = admin_page
    folder = ARTIFACTS / request.node.callspec.id
    email = f"nina-{secrets.token_hex(4)}@example.org"
    name = f"Nina {secrets.token_hex(2)}"
    sso.dashboard_cli("user", "create", email, "--name", name, "--invite")
    nav = page.get_by_role("navigation")

    nav.get_by_role("link", name="Invitations", exact=True).click()
    row = page.get_by_role("row").filter(has_text=email)
    expect(row.get_by_role("link", name=name)).to_be_visible()
    expect(row).to_contain_text("pending")
    _shot(page, folder, "invitations")

    row.get_by_role("button", name=f"Resend to {name}").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Mail a new invitation").click()
    expect(page.get_by_text(f"A new invitation was mailed to {name}.")).to_be_visible()

    row = page.get_by_role("row").filter(has_text=email)
    row.get_by_role("button", name=f"Withdraw the invitation of {name}").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Withdraw", exact=True).click()
    expect(page.get_by_text(f"The invitation of {name} was withdrawn.")).to_be_visible()
    # Pending only (the default filter): it is gone; among the withdrawn it is there.
    expect(page.get_by_role("row").filter(has_text=email)).to_have_count(0)
    page.get_by_label("State").select_option("withdrawn")
    expect(page.get_by_role("row").filter(has_text=email)).to_contain_text("withdrawn")

    nav.get_by_role("link", name="Audit log", exact=True).click()
    log = page.get_by_role("table")
    expect(log.get_by_text(f"Grace Admin withdrew the invitation of {name}.")).to_be_visible()
    expect(log.get_by_text(f"Grace Admin sent {name} a new invitation.")).to_be_visible()
    made = re.compile(rf"^The command line \(.+\) created the account of {re.escape(name)}\.$")
    expect(log.get_by_text(made)).to_be_visible()
    assert problems == []
