"""English and Dutch: Accept-Language, the switcher, and Kratos messages by numeric id."""

from __future__ import annotations

from login_testkit import Browser, Env, password_login


def test_dutch_rendering_from_accept_language(env: Env) -> None:
    browser = Browser(accept_language="nl-NL,nl;q=0.9,en;q=0.5")
    try:
        page = browser.get(f"{env.login_url}/auth/login")
        assert page.status == 200
        assert '<html lang="nl">' in page.response.text
        assert "Inloggen" in page.page.text
        assert "Wachtwoord" in page.page.text  # Kratos label 1070001, translated by id
        assert "Wachtwoord vergeten?" in page.page.text
        wrong = password_login(browser, page, "nobody@example.org", "wrong password 123")
        assert "De inloggegevens kloppen niet" in wrong.page.text  # Kratos message 4000006
    finally:
        browser.close()


def test_english_is_the_default_and_keeps_kratos_text(env: Env, browser: Browser) -> None:
    page = browser.get(f"{env.login_url}/auth/login")
    wrong = password_login(browser, page, "nobody@example.org", "wrong password 123")
    assert "The provided credentials are invalid" in wrong.page.text


def test_language_switcher_is_remembered(env: Env, browser: Browser) -> None:
    page = browser.get(f"{env.login_url}/auth/login")
    dutch_link = page.page.link("Nederlands")
    assert "lang=nl" in dutch_link
    assert "flow=" in dutch_link  # the same page, in the other language
    switched = browser.get(f"{env.login_url}{dutch_link}")
    assert "Inloggen" in switched.page.text
    later = browser.get(f"{env.login_url}/auth/logged-out")
    assert "U bent uitgelogd" in later.page.text


def test_unknown_kratos_message_falls_back_to_kratos_english(env: Env) -> None:
    from login_service import create_app
    from login_service.i18n import kratos_text

    app = create_app(env.settings)
    with app.test_request_context("/auth/login?lang=nl"):
        message = {"id": 1234567, "text": "Some new Kratos message.", "type": "info"}
        assert kratos_text(message) == "Some new Kratos message."
        known = {
            "id": 4000002,
            "text": "Property email is missing.",
            "context": {"property": "email"},
        }
        assert kratos_text(known) == "Het veld email ontbreekt."
