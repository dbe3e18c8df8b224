"""A person's whole way through the dashboard, in Chromium through nginx, on both Ory backends:
the admin signs in and creates them on /users/new with an invitation; they follow the mail, choose
a password, land on My apps and open the demo app (an OIDC login); the admin takes the role away
on their page; the app leaves My apps and the next login to it is refused."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from stack_harness.admin import invitation_parts
from stack_harness.browser import RelyingParty
from stack_harness.chromium import Screenshots, launch_chromium
from stack_harness.dashboard import Person
from stack_harness.sso_stack import APP_ORIGIN, CALLBACK, SsoStack

pytestmark = [pytest.mark.requires("nginx", "mariadb", "chromium"), pytest.mark.timeout(240)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "dashboard-journey"
CHOSEN = "chosen on the journey 2026"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def people(chromium: Any, sso: SsoStack) -> Iterator[list[Person]]:
    made: list[Person] = []
    yield made
    for person in made:
        person.close()


def _demo_app_starts_its_login(person: Person, rp: RelyingParty) -> dict[str, str]:
    """The demo app is only an address (nothing listens there): in this browser it answers
    like an app would, sending the browser to Hydra with a fresh authorization request, and
    its callback says so. Returns the request's state, nonce and verifier."""
    url, state, nonce, verifier = rp.authorization_url()
    person.context.route(
        f"{APP_ORIGIN}/", lambda route: route.fulfill(status=302, headers={"Location": url})
    )
    person.context.route(
        f"{CALLBACK}?**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>Demo</title><p>Signed in.</p>"
        ),
    )
    return {"state": state, "nonce": nonce, "verifier": verifier}


def test_invited_person_uses_my_apps_until_the_admin_removes_their_role(
    sso: SsoStack, chromium: Any, people: list[Person], request: pytest.FixtureRequest
) -> None:
    shots = Screenshots(ARTIFACTS, request.node.name)
    email = f"journey-{secrets.token_hex(4)}@example.org"

    admin = Person(chromium, sso)
    people.append(admin)
    page = admin.sign_in(sso.admin_email)
    page.get_by_role("navigation").get_by_role("link", name="Users", exact=True).click()
    page.get_by_role("link", name="Create a user").click()
    page.get_by_role("heading", name="Create a user", level=1).wait_for()
    page.get_by_label("Name (optional)", exact=True).fill("Jo Journey")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Role on Demo").select_option("user")
    expect(page.get_by_label("Mail an invitation", exact=False)).to_be_checked()
    shots.take(page, "admin-creates")
    page.get_by_role("button", name="Create user").click()
    page.get_by_role("heading", name="Jo Journey", level=1).wait_for()
    expect(page.get_by_text("Jo Journey was created and an invitation was mailed.")).to_be_visible()
    user_id = page.url.rsplit("/", 1)[-1]

    (mail,) = sso.ory.wait_for_mails(email, 1)
    link, code = invitation_parts(mail["text"] or "")
    person = Person(chromium, sso)
    people.append(person)
    mine = person.page
    mine.goto(link)
    mine.wait_for_url(re.compile(r".*/auth/recovery\?flow="))
    mine.fill("input[name=code]", code)
    mine.click("button[name=method][value=code]")
    mine.wait_for_url(re.compile(r".*/auth/settings\?flow="))
    mine.fill("input[name=password]", CHOSEN)
    mine.click("button[name=method][value=password]")
    # The password saved, the invitation ends on the dashboard, which signs them in (the
    # recovery left a Kratos session) and shows My apps.
    mine.wait_for_url(re.compile(rf"^{re.escape(sso.url)}/($|[?#])"))
    mine.get_by_role("heading", name="My apps").wait_for()
    apps = mine.get_by_role("list", name="My apps")
    demo = apps.get_by_role("link", name="Open Demo")
    expect(demo).to_have_attribute("href", f"{APP_ORIGIN}/")
    expect(mine.get_by_role("link", name="Users", exact=True)).to_have_count(0)
    shots.take(mine, "person-my-apps")

    rp = RelyingParty(sso.url, sso.demo_client)
    try:
        started = _demo_app_starts_its_login(person, rp)
        demo.click()
        mine.wait_for_url(re.compile(r".*/auth/consent\?consent_challenge="))
        shots.take(mine, "person-consents-to-demo")
        mine.click("button[name=action][value=accept]")
        mine.wait_for_url(f"{CALLBACK}?**")
        tokens = rp.finish(mine.url, **started)
        assert tokens["id_claims"]["sub"] == user_id
        assert tokens["id_claims"]["email"] == email
        assert tokens["id_claims"]["email_verified"] is True  # the invitation proved the address
        assert tokens["id_claims"]["role"] == "user"
        mine.goto(f"{sso.url}/")
        mine.get_by_role("heading", name="My apps").wait_for()

        role = page.get_by_label("Role on Demo")
        expect(role).to_have_value("user")
        role.select_option("")
        expect(page.get_by_text("Saved.")).to_be_visible()
        shots.take(page, "admin-removed-the-role")

        mine.reload()
        expect(mine.get_by_text("You have no apps yet.")).to_be_visible()
        expect(mine.get_by_role("link", name="Open Demo")).to_have_count(0)
        shots.take(mine, "person-no-apps")

        url, *_ = rp.authorization_url()  # the app's next login, same browser
        with mine.expect_response(re.compile(r".*/auth/consent\?consent_challenge=")) as refused:
            mine.goto(url)
        assert refused.value.status == 403
        expect(mine.locator("main")).to_contain_text("do not have access to Demo")
        shots.take(mine, "person-refused-by-demo")
    finally:
        rp.close()

    assert admin.problems == []
    # The refused consent (403) is the one failed answer the person's browser saw.
    assert [p for p in person.problems if "/auth/consent" not in p] == []
    assert len(person.problems) == 1
