"""Logout ends the Hydra and the Kratos session: the next login asks for the password."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
from login_testkit import (
    AFTER_LOGOUT,
    PASSWORD,
    Browser,
    Env,
    asked_for_password,
    enrol_totp,
    logged_in,
    reached_app,
)


def kratos_whoami_status(env: Env, browser: Browser) -> int:
    cookies = "; ".join(f"{c.name}={c.value}" for c in browser.http.cookies.jar)
    response = httpx.get(
        f"{env.kratos_public_url}/sessions/whoami", headers={"Cookie": cookies}, timeout=5
    )
    return response.status_code


def test_logout_ends_both_sessions(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    visit = env.login(browser, client, email)
    id_token = env.exchange_code(client, visit.url)["id_token"]
    assert kratos_whoami_status(env, browser) == 200

    params = {"id_token_hint": id_token, "post_logout_redirect_uri": AFTER_LOGOUT, "state": "s1"}
    confirm = browser.get(f"{env.hydra_public_url}/oauth2/sessions/logout?{urlencode(params)}")
    assert confirm.status == 200, confirm.urls
    assert "/auth/logout?logout_challenge=" in confirm.url
    assert confirm.page.form(None, button="logout").fields["csrf_token"]
    done = browser.submit(confirm, None, "logout")
    assert done.url.startswith(AFTER_LOGOUT), done.urls
    assert kratos_whoami_status(env, browser) == 401

    again = browser.get(env.authorize_url(client))
    assert "/auth/login?flow=" in again.url, again.urls
    assert asked_for_password(again)


def test_logout_names_the_app_as_consent_does(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client(client_name="notes-oidc-client")
    env.dashboard.allow(client.client_id or "", name="Team Notes", trusted=True)
    visit = env.login(browser, client, email)
    id_token = env.exchange_code(client, visit.url)["id_token"]
    params = {"id_token_hint": id_token, "post_logout_redirect_uri": AFTER_LOGOUT}
    confirm = browser.get(f"{env.hydra_public_url}/oauth2/sessions/logout?{urlencode(params)}")
    assert "/auth/logout?logout_challenge=" in confirm.url, confirm.urls
    assert "Team Notes asks to sign you out." in confirm.page.text
    assert "notes-oidc-client" not in confirm.page.text


def test_logout_is_not_confirmed_when_the_client_skips_logout_consent(
    env: Env, browser: Browser
) -> None:
    _, email = env.create_user()
    client = env.create_client(skip_logout_consent=True)
    env.dashboard.allow(client.client_id or "", trusted=True)
    visit = env.login(browser, client, email)
    id_token = env.exchange_code(client, visit.url)["id_token"]
    params = {"id_token_hint": id_token, "post_logout_redirect_uri": AFTER_LOGOUT}
    done = browser.get(f"{env.hydra_public_url}/oauth2/sessions/logout?{urlencode(params)}")
    assert done.url.startswith(AFTER_LOGOUT), done.urls
    assert kratos_whoami_status(env, browser) == 401


def test_cancelling_logout_keeps_the_session(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    visit = env.login(browser, client, email)
    id_token = env.exchange_code(client, visit.url)["id_token"]
    params = {"id_token_hint": id_token, "post_logout_redirect_uri": AFTER_LOGOUT}
    confirm = browser.get(f"{env.hydra_public_url}/oauth2/sessions/logout?{urlencode(params)}")
    stay = browser.submit(confirm, None, "cancel")
    assert stay.status == 200
    assert kratos_whoami_status(env, browser) == 200
    assert reached_app(browser.get(env.authorize_url(client)))


def test_sign_out_from_our_own_page(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    assert reached_app(env.login(browser, client, email))

    page = browser.get(f"{env.login_url}/auth/logout")
    assert page.status == 200
    done = browser.submit(page, None, "logout")
    assert "/auth/logged-out" in done.url, done.urls
    assert "You are signed out" in done.page.text
    assert kratos_whoami_status(env, browser) == 401
    again = browser.get(env.authorize_url(client))
    assert "/auth/login?flow=" in again.url, again.urls


def test_logout_form_needs_our_csrf_token(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    assert reached_app(env.login(browser, client, email))
    answer = browser.post(f"{env.login_url}/auth/logout", {"action": "logout"})
    assert answer.status == 400
    assert kratos_whoami_status(env, browser) == 200


def test_sign_out_while_the_second_factor_is_still_due(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    logged_in(env, browser, email)
    enrol_totp(env, browser)

    fresh = Browser()
    try:
        first = fresh.get(f"{env.login_url}/auth/login")
        step = fresh.submit(first, "password", "password", identifier=email, password=PASSWORD)
        assert "Second factor" in step.page.text
        assert kratos_whoami_status(env, fresh) == 403
        confirm = fresh.get(f"{env.login_url}{step.page.link('Sign out')}")
        fresh.submit(confirm, None, "logout")
        assert kratos_whoami_status(env, fresh) == 401
    finally:
        fresh.close()
