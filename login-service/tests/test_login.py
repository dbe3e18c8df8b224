"""Hydra login: first login, the skipped second login, prompt=login, a disabled identity."""

from __future__ import annotations

from login_testkit import (
    Browser,
    Env,
    asked_for_password,
    jwt_claims,
    password_login,
    reached_app,
)
from stackspin_clients.models import JsonPatch


def test_first_login_asks_for_the_password_then_consent(env: Env, browser: Browser) -> None:
    subject, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "")

    visit = browser.get(env.authorize_url(client))
    assert visit.status == 200
    assert "Sign in" in visit.page.text
    assert visit.page.form("password").action.startswith(env.kratos_public_url)
    visit = password_login(browser, visit, email)
    assert "/auth/consent" in visit.url, visit.urls
    assert "Notes" in visit.page.text
    visit = browser.submit(visit, None, "accept")
    assert reached_app(visit), visit.urls
    assert env.dashboard.calls[-1] == {"subject": subject, "client_id": client.client_id}


def test_second_login_is_skipped(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "")
    assert reached_app(env.login(browser, client, email))

    again = browser.get(env.authorize_url(client))
    assert reached_app(again), again.urls
    assert not asked_for_password(again)
    assert not any("/auth/consent" in u and "challenge" not in u for u in again.urls)


def test_another_app_uses_the_kratos_session_without_a_password(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    first, second = env.create_client(), env.create_client(client_name="Chat")
    env.dashboard.allow(first.client_id or "")
    env.dashboard.allow(second.client_id or "", name="Chat", trusted=True)
    assert reached_app(env.login(browser, first, email))
    visit = browser.get(env.authorize_url(second))
    assert reached_app(visit), visit.urls
    assert not asked_for_password(visit)


def test_prompt_login_asks_for_the_password_again(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    assert reached_app(env.login(browser, client, email))

    visit = browser.get(env.authorize_url(client, prompt="login"))
    assert "/auth/login?flow=" in visit.url, visit.urls
    assert "refresh=true" in " ".join(visit.urls)
    visit = password_login(browser, visit, email)
    assert reached_app(visit), visit.urls
    tokens = env.exchange_code(client, visit.url)
    assert jwt_claims(tokens["id_token"])["amr"] == ["pwd"]


def test_disabled_identity_is_rejected_with_a_clear_page(env: Env, browser: Browser) -> None:
    subject, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    assert reached_app(env.login(browser, client, email))
    env.kratos.patch_identity(subject, [JsonPatch(op="replace", path="/state", value="inactive")])

    visit = browser.get(env.authorize_url(client))
    assert visit.status == 403, visit.urls
    assert "disabled" in visit.page.text
    assert "the helpdesk" in visit.page.text
    back = visit.page.link("Return to the app")
    assert back.startswith(env.hydra_public_url)


def test_skipped_login_of_a_deleted_identity_is_rejected(env: Env, browser: Browser) -> None:
    subject, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    assert reached_app(env.login(browser, client, email))
    env.kratos.delete_identity(subject)

    visit = browser.get(env.authorize_url(client))  # Hydra remembers the browser: skip
    assert visit.status == 403, visit.urls
    assert "disabled" in visit.page.text
    assert not reached_app(visit)


def test_you_are_logged_in_page_links_to_settings_and_logout(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    assert reached_app(env.login(browser, client, email))

    visit = browser.get(f"{env.login_url}/auth/login")
    assert visit.status == 200
    assert email in visit.page.text
    assert visit.page.link("Account settings") == "/auth/settings"
    assert visit.page.link("Sign out") == "/auth/logout"


def test_login_page_without_session_shows_the_kratos_form(env: Env, browser: Browser) -> None:
    visit = browser.get(f"{env.login_url}/auth/login")
    assert visit.status == 200
    assert "/auth/login?flow=" in visit.url
    form = visit.page.form("password")
    assert form.fields["csrf_token"]
    assert "identifier" in form.fields


def test_max_age_exceeded_asks_for_the_password_again(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    assert reached_app(env.login(browser, client, email))
    # Hydra, Kratos and login-service (on the stack's clock) see the login 1.1 s old: the
    # stand-ins' clock moves; real Kratos's authenticated_at cannot be moved, so there it sleeps.
    env.stack.let_time_pass(1.1)
    visit = browser.get(env.authorize_url(client, max_age="1"))
    assert "/auth/login?flow=" in visit.url, visit.urls
    assert reached_app(password_login(browser, visit, email))


def test_second_factor_is_required_when_the_identity_has_one(env: Env, browser: Browser) -> None:
    from login_testkit import enrol_totp, logged_in

    _, email = env.create_user()
    logged_in(env, browser, email)
    enrol_totp(env, browser)
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    fresh = Browser()
    try:
        visit = password_login(fresh, fresh.get(env.authorize_url(client)), email)
        # Kratos sends the browser on to an aal2 login flow, and our page asks for the factor.
        assert "aal=aal2" in " ".join(visit.urls), visit.urls
        assert "Second factor" in visit.page.text
        assert not reached_app(visit)
    finally:
        fresh.close()
