"""Names that apps, admins or people choose (a Hydra client_name, a dashboard app name, traits,
Kratos message contexts) are text on every page and in both languages, never markup."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import render_template
from login_service import Settings, create_app
from login_testkit import AFTER_LOGOUT, Browser, Env, password_login
from markupsafe import escape

HOSTILE = '<meta http-equiv="refresh" content="0;url=https://evil.example">"><form action=https://evil.example>'


def assert_shown_as_text(html: str) -> None:
    assert HOSTILE not in html
    assert "<meta http-equiv" not in html
    assert "<form action=https://evil.example" not in html
    assert str(escape(HOSTILE)) in html


@pytest.fixture(params=["en", "nl"])
def lang_browser(request: pytest.FixtureRequest) -> Iterator[Browser]:
    browser = Browser(accept_language=request.param)
    yield browser
    browser.close()


def test_consent_page_shows_a_hostile_app_name_as_text(env: Env, lang_browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client(client_name=HOSTILE)
    env.dashboard.allow(client.client_id or "", name=HOSTILE)
    visit = password_login(lang_browser, lang_browser.get(env.authorize_url(client)), email)
    assert "/auth/consent" in visit.url, visit.urls
    assert visit.status == 200
    assert_shown_as_text(visit.response.text)


def test_consent_denied_page_shows_a_hostile_app_name_as_text(
    env: Env, lang_browser: Browser
) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.deny(client.client_id or "", name=HOSTILE)
    visit = password_login(lang_browser, lang_browser.get(env.authorize_url(client)), email)
    assert visit.status == 403, visit.urls
    assert_shown_as_text(visit.response.text)


def test_unknown_app_page_shows_a_hostile_client_name_as_text(
    env: Env, lang_browser: Browser
) -> None:
    _, email = env.create_user()
    client = env.create_client(client_name=HOSTILE)  # dashboard-api knows no app for it
    visit = password_login(lang_browser, lang_browser.get(env.authorize_url(client)), email)
    assert visit.status == 403, visit.urls
    assert_shown_as_text(visit.response.text)


def test_logout_page_shows_a_hostile_app_name_as_text(env: Env, lang_browser: Browser) -> None:
    # The logout page names the app as consent does: dashboard-api's app name.
    _, email = env.create_user()
    client = env.create_client(client_name=HOSTILE)
    env.dashboard.allow(client.client_id or "", name=HOSTILE, trusted=True)
    visit = env.login(lang_browser, client, email)
    id_token = env.exchange_code(client, visit.url)["id_token"]
    params = {"id_token_hint": id_token, "post_logout_redirect_uri": AFTER_LOGOUT}
    confirm = lang_browser.get(f"{env.hydra_public_url}/oauth2/sessions/logout?{urlencode(params)}")
    assert "/auth/logout?logout_challenge=" in confirm.url, confirm.urls
    assert_shown_as_text(confirm.response.text)


def _render(lang: str, template: str, **context: Any) -> str:
    app = create_app(Settings(site_name="Stackspin"))
    with app.test_request_context(f"/auth/login?lang={lang}"):
        return render_template(template, **context)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_signed_in_page_shows_hostile_traits_as_text(lang: str) -> None:
    # The identity schema refuses such a username; an admin-imported email is not checked.
    html = _render(lang, "logged_in.html", title="Hi", traits={"email": HOSTILE})
    assert_shown_as_text(html)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_kratos_messages_show_hostile_context_values_as_text(lang: str) -> None:
    from login_service.i18n import kratos_text

    app = create_app(Settings())
    with app.test_request_context(f"/auth/login?lang={lang}"):
        message = {
            "id": 4000005,
            "text": f"The password can not be used: {HOSTILE}",
            "context": {"reason": HOSTILE},
        }
        html = render_template("error.html", title=kratos_text(message), status=400)
    assert_shown_as_text(html)
