"""Kratos pages: recovery by code to a new password, TOTP enrolment and login with TOTP,
login with a backup recovery code, expired flows and CSRF mismatches."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from urllib.parse import unquote, urljoin

import pyotp
from devstack.testing.html_page import Form, Page
from login_testkit import (
    PASSWORD,
    Browser,
    Env,
    enrol_totp,
    jwt_claims,
    logged_in,
    password_login,
    reached_app,
    settings_page,
)

NEW_PASSWORD = "a brand new passphrase 2026"


def latest_code(env: Env, email: str) -> str:
    messages = env.courier_messages(email)
    assert messages, f"no mail for {email}"
    body = str(messages[0].get("body") or "")
    found = re.findall(r"\b(\d{6})\b", body)
    assert found, body
    return found[0]


def test_recovery_by_code_leads_to_a_new_password(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    start = browser.get(f"{env.login_url}/auth/recovery")
    assert "/auth/recovery?flow=" in start.url, start.urls
    sent = browser.submit(start, "code", "code", email=email)
    assert sent.status == 200
    assert "/auth/recovery?flow=" in sent.url
    code = latest_code(env, email)

    settings = browser.submit(sent, "code", "code", code=code)
    assert "/auth/settings?flow=" in settings.url, settings.urls
    assert "choose a new password first" in settings.page.text
    assert [f.group for f in settings.page.forms] == ["password"]
    assert settings.response.headers["Cache-Control"] == "no-store"
    saved = browser.submit(settings, "password", "password", password=NEW_PASSWORD)
    # Saved, Kratos sends the browser to the recovery's return URL (deploy: the dashboard;
    # here: a fresh settings page, signed in, no longer asking for a new password first).
    assert "/auth/settings?flow=" in saved.url, saved.urls
    assert saved.url.split("flow=")[1] != settings.url.split("flow=")[1]
    assert "choose a new password first" not in saved.page.text
    assert "password" in [f.group for f in saved.page.forms]

    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    fresh = Browser()
    try:
        old = password_login(fresh, fresh.get(env.authorize_url(client)), email, PASSWORD)
        assert old.status in (200, 400)
        assert "/auth/login?flow=" in old.url
        assert "credentials are invalid" in old.page.text
        assert reached_app(password_login(fresh, old, email, NEW_PASSWORD))
    finally:
        fresh.close()


def assert_resend_is_its_own_form(page: Page, code_form: Form, email: str) -> Form:
    """Kratos sends "Resend code" as a submit button (name=email, value=the address) in the
    code group, beside the required code field: in the code's form a browser would refuse to
    resend until a code is typed. It gets a form of its own, with nothing to fill in."""
    assert "code" in code_form.fields
    assert not [b for b in code_form.buttons if b[0] == "email"], code_form.buttons
    resend_forms = [f for f in page.forms if f != code_form and f.group == "code"]
    assert len(resend_forms) == 1, [f.fields for f in page.forms]
    resend = resend_forms[0]
    assert resend.action == code_form.action
    assert resend.method == code_form.method == "POST"
    assert resend.fields["method"] == "code"
    assert resend.fields["csrf_token"] == code_form.fields["csrf_token"]
    assert "code" not in resend.fields
    assert resend.buttons == [("email", email, "Resend code")]
    assert not [i for i in resend.inputs if "required" in i], resend.inputs
    assert page.html.index('data-resend="true"') > page.html.index('value="code"')
    return resend


def test_recovery_code_form_needs_no_email_and_resend_is_its_own_form(
    env: Env, browser: Browser
) -> None:
    _, email = env.create_user()
    start = browser.get(f"{env.login_url}/auth/recovery")
    sent = browser.submit(start, "code", "code", email=email)
    assert "/auth/recovery?flow=" in sent.url, sent.urls
    code_form = sent.page.form("code", button="code")
    assert not [i for i in code_form.inputs if i.get("name") == "email"], code_form.inputs
    resend = assert_resend_is_its_own_form(sent.page, code_form, email)
    assert len(env.courier_messages(email)) == 1

    # Just what a browser sends when the button is pressed.
    resent = browser.post(urljoin(sent.url, resend.action), resend.data("email"))
    assert resent.status == 200, resent.urls
    assert "/auth/recovery?flow=" in resent.url, resent.urls
    assert len(env.courier_messages(email)) == 2
    # The code form still submits with the code alone, and the newest code works.
    code = latest_code(env, email)
    again = resent.page.form("code", button="code")
    settings = browser.post(urljoin(resent.url, again.action), again.data("code", code=code))
    assert "/auth/settings?flow=" in settings.url, settings.urls


def test_verification_resend_is_its_own_form_and_mails_a_new_code(
    env: Env, browser: Browser
) -> None:
    identity_id, email = env.create_user()
    logged_in(env, browser, email)
    start = browser.get(f"{env.login_url}/auth/verification")
    assert "/auth/verification?flow=" in start.url, start.urls
    before = len(env.courier_messages(email))
    sent = browser.submit(start, "code", "code", email=email)
    assert sent.status == 200, sent.urls
    assert len(env.courier_messages(email)) == before + 1
    resend = assert_resend_is_its_own_form(sent.page, sent.page.form("code", button="code"), email)

    resent = browser.post(urljoin(sent.url, resend.action), resend.data("email"))
    assert resent.status == 200, resent.urls
    assert "/auth/verification?flow=" in resent.url, resent.urls
    assert len(env.courier_messages(email)) == before + 2
    code = latest_code(env, email)
    form = resent.page.form("code", button="code")
    done = browser.post(urljoin(resent.url, form.action), form.data("code", code=code))
    assert done.status == 200, done.urls
    # Kratos's finished flow is a GET "form" to where the person continues: only a link.
    assert "successfully verified" in done.page.text
    assert done.page.link("Continue").startswith("http")
    assert [f.group for f in done.page.forms] == []
    addresses = env.kratos.get_identity(identity_id).verifiable_addresses or []
    assert [a.verified for a in addresses if a.value == email] == [True]


def test_verification_link_opened_in_another_browser_verifies_the_address(env: Env) -> None:
    identity_id, email = env.create_user()
    with Browser() as laptop, Browser() as phone:
        start = laptop.get(f"{env.login_url}/auth/verification")
        sent = laptop.submit(start, "code", "code", email=email)
        assert sent.status == 200, sent.urls
        body = str(env.courier_messages(email)[0].get("body") or "")
        link = re.search(r"(http\S+/self-service/verification\?\S+)", body)
        assert link, body
        # The phone has no cookie of this flow: Kratos fills the code in and hands it the flow.
        opened = phone.get(link.group(1).replace("&amp;", "&"))
        assert opened.status == 200, opened.urls
        assert "/auth/verification?flow=" in opened.url, opened.urls
        assert "Your session check failed" not in opened.page.text
        assert "The code from your email is filled in" in opened.page.text
        form = opened.page.form("code", button="code")
        assert form.fields["code"] == latest_code(env, email)
        done = phone.post(urljoin(opened.url, form.action), form.data("code"))
        assert done.status == 200, done.urls
        assert "<h1>Your email address is verified</h1>" in done.response.text
        assert "successfully verified" in done.page.text
    addresses = env.kratos.get_identity(identity_id).verifiable_addresses or []
    assert [a.verified for a in addresses if a.value == email] == [True]


def test_settings_opened_signed_out_returns_to_settings_after_sign_in(
    env: Env, browser: Browser
) -> None:
    _, email = env.create_user()
    first = browser.get(f"{env.login_url}/auth/settings")
    assert "/auth/login?flow=" in first.url, first.urls
    done = password_login(browser, first, email)
    assert done.status == 200, done.urls
    assert f"{env.login_url}/auth/settings?flow=" in done.url, done.urls
    # Signed in, the settings flow carries no return_to: saving stays on the page.
    assert "return_to" not in done.urls[-2]


def test_settings_opened_signed_out_returns_to_settings_after_the_second_factor(
    env: Env, browser: Browser
) -> None:
    _, email = env.create_user()
    logged_in(env, browser, email)
    secret = enrol_totp(env, browser)
    fresh = Browser()
    try:
        step = password_login(fresh, fresh.get(f"{env.login_url}/auth/settings"), email)
        assert "Second factor" in step.page.text, step.urls
        done = fresh.submit(step, "totp", "totp", totp_code=pyotp.TOTP(secret).now())
        assert done.status == 200, done.urls
        assert f"{env.login_url}/auth/settings?flow=" in done.url, done.urls
    finally:
        fresh.close()


def test_totp_enrolment_then_login_with_totp(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    logged_in(env, browser, email)
    secret = enrol_totp(env, browser)

    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    fresh = Browser()
    try:
        step = password_login(fresh, fresh.get(env.authorize_url(client)), email)
        assert "/auth/login?flow=" in step.url, step.urls
        assert "Second factor" in step.page.text
        done = fresh.submit(step, "totp", "totp", totp_code=pyotp.TOTP(secret).now())
        assert reached_app(done), done.urls
        claims = jwt_claims(env.exchange_code(client, done.url)["id_token"])
        assert claims["acr"] == "aal2"
        assert "otp" in claims["amr"]
        assert "mfa" in claims["amr"]
    finally:
        fresh.close()


def test_login_with_a_backup_recovery_code(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    logged_in(env, browser, email)
    page = settings_page(env, browser)
    shown = browser.submit(page, "lookup_secret", "lookup_secret_regenerate")
    assert shown.status == 200, shown.urls
    codes = re.findall(r"<li><code>([a-z0-9]{8})</code></li>", shown.response.text)
    assert len(codes) >= 10
    assert shown.response.headers["Cache-Control"] == "no-store"
    confirmed = browser.submit(shown, "lookup_secret", "lookup_secret_confirm")
    assert "Your changes have been saved" in confirmed.page.text

    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    fresh = Browser()
    try:
        step = password_login(fresh, fresh.get(env.authorize_url(client)), email)
        done = fresh.submit(step, "lookup_secret", "lookup_secret", lookup_secret=codes[0])
        assert reached_app(done), done.urls
    finally:
        fresh.close()


def test_expired_flow_is_replaced_by_a_fresh_one_with_a_message(env: Env, browser: Browser) -> None:
    env.stack.kratos_config.flow_lifespan = 1
    env.stack.apply()
    first = browser.get(f"{env.login_url}/auth/login")
    assert "/auth/login?flow=" in first.url
    env.stack.let_time_pass(1.2)
    env.stack.kratos_config.flow_lifespan = 3600
    env.stack.apply()
    again = browser.get(first.url)
    assert again.status == 200, again.urls
    assert "/auth/login?flow=" in again.url
    assert again.url != first.url
    assert "expired" in again.page.text


def test_posting_an_expired_flow_shows_kratos_message_on_a_fresh_flow(
    env: Env, browser: Browser
) -> None:
    _, email = env.create_user()
    env.stack.kratos_config.flow_lifespan = 1
    env.stack.apply()
    first = browser.get(f"{env.login_url}/auth/login")
    env.stack.let_time_pass(1.2)
    env.stack.kratos_config.flow_lifespan = 3600
    env.stack.apply()
    after = password_login(browser, first, email)
    assert after.status == 200, after.urls
    assert "/auth/login?flow=" in after.url
    # Kratos says "expired 0.02 minutes ago"; people read whole minutes.
    assert "This form expired less than a minute ago. Please try again." in after.page.text
    assert not re.search(r"\d\.\d\d minutes", after.page.text)


def test_csrf_mismatch_explains_and_offers_a_retry(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    page = browser.get(f"{env.login_url}/auth/login")
    form = page.page.form("password")
    data = form.data("password", identifier=email, password=PASSWORD)
    data["csrf_token"] = "not-the-right-token"
    answer = browser.post(form.action, data)
    assert answer.status == 403, answer.urls
    assert "/auth/error?id=" in answer.url
    assert "session check failed" in answer.page.text
    assert answer.page.link("Try again") == "/auth/login"


def test_flow_opened_with_other_cookies_is_a_csrf_violation(env: Env, browser: Browser) -> None:
    page = browser.get(f"{env.login_url}/auth/login")
    stranger = Browser()
    try:
        answer = stranger.get(page.url)
        assert answer.status == 403
        assert "session check failed" in answer.page.text
    finally:
        stranger.close()


def test_unknown_flow_starts_a_new_one(env: Env, browser: Browser) -> None:
    visit = browser.get(f"{env.login_url}/auth/login?flow=00000000-0000-4000-8000-000000000000")
    assert visit.status == 200
    assert "/auth/login?flow=" in visit.url
    assert "00000000-0000-4000-8000-000000000000" not in visit.url


def test_verification_page_renders_the_kratos_flow(env: Env, browser: Browser) -> None:
    visit = browser.get(f"{env.login_url}/auth/verification")
    assert visit.status == 200, visit.urls
    assert "/auth/verification?flow=" in visit.url
    assert "Verify your email address" in visit.page.text
    assert visit.page.forms[0].fields["csrf_token"]


def test_registration_is_off_unless_enabled(env: Env, browser: Browser) -> None:
    visit = browser.get(f"{env.login_url}/auth/registration")
    assert visit.status == 404
    assert "Create an account" not in browser.get(f"{env.login_url}/auth/login").page.text


def test_hydra_error_page_shows_the_description_escaped(env: Env, browser: Browser) -> None:
    visit = browser.get(
        f"{env.login_url}/auth/error?error=invalid_request&error_description=%3Cb%3Ebad%3C/b%3E"
    )
    assert visit.status == 400
    assert "<b>bad</b>" not in visit.response.text
    assert "&lt;b&gt;bad&lt;/b&gt;" in visit.response.text


def test_settings_without_a_session_goes_to_login(env: Env, browser: Browser) -> None:
    visit = browser.get(f"{env.login_url}/auth/settings")
    assert visit.status == 200, visit.urls
    assert "/auth/login?flow=" in visit.url


def test_registration_when_enabled(
    env: Env, browser: Browser, login_service_with: Callable[..., str]
) -> None:
    env.stack.kratos_config.registration_enabled = True
    url = login_service_with(registration_enabled=True)
    login = browser.get(f"{url}/auth/login")
    assert login.page.link("Create an account") == "/auth/registration"
    visit = browser.get(f"{url}/auth/registration")
    assert visit.status == 200, visit.urls
    assert "/auth/registration?flow=" in visit.url
    form = visit.page.form(button="profile")
    assert form.fields["csrf_token"]
    assert "password" not in form.fields  # profile first, Kratos's default style
    email = f"reg-{int(time.time() * 1000)}@example.org"
    step = browser.submit(visit, None, "profile", **{"traits.email": email, "traits.name": "Reg"})
    assert "/auth/registration?flow=" in step.url, step.urls
    second = step.page.form(button="password")
    assert second.fields["traits.email"] == email  # carried over, hidden
    assert any(value == "previous" for _, value, _ in step.page.form(button="previous").buttons)
    done = browser.submit(step, None, "password", password=NEW_PASSWORD)
    assert done.status < 400, done.urls
    assert "/auth/registration" not in done.url, done.page.text[:600]
    # no `session` hook after registration: the person signs in with the new password
    fresh = Browser()
    try:
        visit = fresh.get(f"{url}/auth/login")
        assert password_login(fresh, visit, email, NEW_PASSWORD).status == 200
        assert fresh.get(f"{url}/auth/settings").status == 200
    finally:
        fresh.close()


def test_a_change_that_needs_a_fresh_login_is_saved_after_signing_in_again(
    env: Env, browser: Browser
) -> None:
    """An old session is sent through a refresh login and back to Kratos's settings URL,
    which finishes the paused change: the person lands on "saved" and types nothing twice."""
    _, email = env.create_user()
    env.stack.kratos_config.privileged_session_max_age = 1
    env.stack.apply()
    try:
        logged_in(env, browser, email)
        page = settings_page(env, browser)
        env.stack.let_time_pass(1.5)
        asked = browser.submit(page, "password", "password", password=NEW_PASSWORD)
        assert "/auth/login?flow=" in asked.url, asked.urls
        assert "refresh=true" in " ".join(asked.urls)
        env.stack.kratos_config.privileged_session_max_age = 900
        env.stack.apply()
        back = password_login(browser, asked, email)
        assert "/auth/settings?flow=" in back.url, back.urls
        assert "Your changes have been saved" in back.page.text, back.page.text[:800]
    finally:
        env.stack.kratos_config.privileged_session_max_age = 900
        env.stack.apply()
    fresh = Browser()
    try:
        visit = fresh.get(f"{env.login_url}/auth/login")
        assert password_login(fresh, visit, email, NEW_PASSWORD).status == 200
        assert fresh.get(f"{env.login_url}/auth/settings").status == 200
    finally:
        fresh.close()


def test_unlinking_totp_and_disabling_backup_codes_work_after_the_question(
    env: Env, browser: Browser
) -> None:
    _, email = env.create_user()
    logged_in(env, browser, email)
    enrol_totp(env, browser)
    page = settings_page(env, browser)
    revealed = browser.submit(page, "lookup_secret", "lookup_secret_regenerate")
    # Without JavaScript the codes still download: a data: link holding them, one a line.
    codes = re.findall(r"<li><code>([^<]+)</code></li>", revealed.response.text)
    download = re.search(r'href="data:text/plain;charset=utf-8,([^"]+)"', revealed.response.text)
    assert codes
    assert download
    assert unquote(download.group(1)).split() == codes
    saved = browser.submit(revealed, "lookup_secret", "lookup_secret_confirm")
    assert "Your changes have been saved" in saved.page.text
    for group, name in (("lookup_secret", "lookup_secret_disable"), ("totp", "totp_unlink")):
        page = settings_page(env, browser)
        asked = re.search(
            rf'<details class="confirm"[^>]*>\s*<summary[^>]*>[^<]+</summary>\s*<p>[^<]+\?'
            rf'[^<]*</p>\s*<button[^>]*name="{name}"',
            page.response.text,
        )
        assert asked, f"{name} has no question before it"
        done = browser.submit(page, group, name)
        assert "Your changes have been saved" in done.page.text, done.page.text[:600]
    page = settings_page(env, browser)
    assert "totp_unlink" not in page.response.text
    assert "lookup_secret_disable" not in page.response.text
