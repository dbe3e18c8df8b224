"""Hydra login: first login, skipped second login, prompt=login, inactive identity."""

from __future__ import annotations

from login_testkit import PASSWORD, Browser, Env, Visit


def password_login(browser: Browser, visit: Visit, email: str, password: str = PASSWORD) -> Visit:
    assert "/auth/login?flow=" in visit.url, visit.urls
    form = visit.page.form("password")
    values = {"password": password}
    if "identifier" in form.fields and not form.fields["identifier"]:
        values["identifier"] = email
    return browser.submit(visit, "password", "password", **values)


def test_first_login_asks_for_the_password_then_consent(env: Env, browser: Browser) -> None:
    subject, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "")

    visit = browser.get(env.authorize_url(client))
    assert visit.status == 200
    assert "Sign in" in visit.page.text
    visit = password_login(browser, visit, email)
    assert "/auth/consent" in visit.url, visit.urls
    assert "Notes" in visit.page.text
    visit = browser.submit(visit, None, "accept")
    assert visit.url.startswith("http://127.0.0.1:9/callback?code="), visit.urls
    assert env.dashboard.calls[-1] == {"subject": subject, "client_id": client.client_id}
