"""English and Dutch: Accept-Language, the switcher, and Kratos messages by numeric id."""

from __future__ import annotations

import re
import secrets

from login_testkit import Browser, Env, logged_in, password_login, settings_page


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


def _mailed_code(env: Env, email: str) -> str:
    messages = env.courier_messages(email)
    assert messages, f"no mail for {email}"
    found = re.findall(r"\b(\d{6})\b", str(messages[0].get("body") or ""))
    assert found
    return str(found[0])


def _no_raw_timestamp(text: str) -> None:
    assert not re.search(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", text), text


def test_recovered_account_message_says_the_time_left_in_dutch(env: Env) -> None:
    _, email = env.create_user()
    browser = Browser(accept_language="nl")
    try:
        start = browser.get(f"{env.login_url}/auth/recovery")
        sent = browser.submit(start, "code", "code", email=email)
        assert "herstelcode verstuurd" in sent.page.text  # 1060003
        settings = browser.submit(sent, "code", "code", code=_mailed_code(env, email))
        assert "/auth/settings?flow=" in settings.url, settings.urls
        # 1060001, Kratos: "... within the next 14.98 minutes." with privileged_session_expires_at
        assert re.search(
            r"Uw account is hersteld\. Kies binnen \d+ minuten een nieuw wachtwoord "
            r"\(vóór [^)]*\d{2}:\d{2} UTC\)\.",
            settings.page.text,
        ), settings.page.text
        _no_raw_timestamp(settings.page.text)
        short = browser.submit(settings, "password", "password", password="kort")
        # 4000032 (the password policy), Kratos: "... at least 10 characters long, but got 4."
        assert re.search(r"Het wachtwoord moet minstens \d+ tekens lang zijn\.", short.page.text)
    finally:
        browser.close()


def test_used_backup_codes_show_when_they_were_used(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    logged_in(env, browser, email)
    shown = browser.submit(settings_page(env, browser), "lookup_secret", "lookup_secret_regenerate")
    codes = re.findall(r"<li><code>([a-z0-9]{8})</code></li>", shown.response.text)
    browser.submit(shown, "lookup_secret", "lookup_secret_confirm")

    for round_, (lang, used) in enumerate((("en", "Used "), ("nl", "Gebruikt "))):
        fresh = Browser(accept_language=lang)
        try:
            step = password_login(fresh, fresh.get(f"{env.login_url}/auth/login"), email)
            fresh.submit(step, "lookup_secret", "lookup_secret", lookup_secret=codes[round_])
            revealed = fresh.submit(
                settings_page(env, fresh), "lookup_secret", "lookup_secret_reveal"
            )
            items = re.findall(r'<li class="used-code">([^<]*)</li>', revealed.response.text)
            # 1050014, Kratos: "Secret was used at 2026-12-02 17:13:42.12 +0000 UTC"
            assert len(items) == round_ + 1, revealed.response.text
            assert all(i.startswith(used) and i.endswith(" UTC") for i in items), items
            assert all(re.search(r"\d{1,2}:\d{2}", i) for i in items), items
            _no_raw_timestamp(revealed.page.text)
            assert codes[round_] not in revealed.response.text
        finally:
            fresh.close()


def test_login_asks_for_email_or_username_in_both_languages(env: Env) -> None:
    for language, label in (("en", "Email or username"), ("nl", "E-mailadres of gebruikersnaam")):
        browser = Browser(accept_language=language)
        try:
            page = browser.get(f"{env.login_url}/auth/login")
            assert label in page.page.text  # Kratos's label 1070004 says only "ID"
            assert ">ID<" not in page.response.text
        finally:
            browser.close()


def test_a_taken_username_on_the_settings_page_says_so_in_both_languages(env: Env) -> None:
    taken = f"taken-{secrets.token_hex(4)}"
    env.create_user(username=taken)
    for language, words in (
        ("en", "This email address or username is already taken by another account."),
        ("nl", "Er bestaat al een account met dit e-mailadres of deze gebruikersnaam."),
    ):
        browser = Browser(accept_language=language)
        try:
            _, email = env.create_user()
            logged_in(env, browser, email)
            page = settings_page(env, browser)
            change = {"traits.email": email, "traits.username": taken.upper()}
            refused = browser.submit(page, "profile", "method", **change)
            assert refused.status == 200, refused.urls
            assert words in refused.page.text
        finally:
            browser.close()
    # and signing in with the username works, whatever its case
    browser = Browser()
    try:
        page = browser.get(f"{env.login_url}/auth/login")
        assert password_login(browser, page, taken.upper()).status == 200
        assert browser.get(f"{env.login_url}/auth/settings").status == 200
    finally:
        browser.close()
