"""Consent: shown, skipped for a trusted app, skipped when remembered, rejected without a role;
and the claims that end up in the ID token."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
from login_testkit import Browser, Env, jwt_claims, password_login, reached_app


def consent_pages(urls: list[str]) -> list[str]:
    return [u for u in urls if "/auth/consent?" in u]


def test_consent_page_lists_scopes_in_plain_words(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", name="Notes")

    visit = password_login(browser, browser.get(env.authorize_url(client)), email)
    assert visit.status == 200
    assert "/auth/consent" in visit.url
    text = visit.page.text
    assert "Allow Notes?" in text
    assert "Your email address" in text
    assert "Your name and username" in text
    form = visit.page.form(None, button="accept")
    assert form.fields["csrf_token"]
    assert form.fields["remember"] == "1"


def test_consent_is_skipped_for_a_trusted_app(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    visit = password_login(browser, browser.get(env.authorize_url(client)), email)
    # No page stopped the browser after the password, yet consent was decided by us: the
    # browser passed through our consent endpoint, which asked dashboard-api and accepted.
    assert reached_app(visit), visit.urls
    assert any("/auth/consent?consent_challenge=" in u for u in visit.urls), visit.urls
    assert [c["client_id"] for c in env.dashboard.calls] == [client.client_id]


def test_consent_is_skipped_when_remembered(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "")
    first = env.login(browser, client, email)
    assert reached_app(first)
    asked = len(env.dashboard.calls)

    again = browser.get(env.authorize_url(client))
    assert reached_app(again), again.urls
    assert consent_pages(again.urls), "Hydra still asks us; we accept without a page"
    # Remembered, it still asks dashboard-api once (a role may have gone meanwhile).
    assert [c["client_id"] for c in env.dashboard.calls[asked:]] == [client.client_id]


def test_remembered_consent_is_rejected_once_the_role_is_removed(
    env: Env, browser: Browser
) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "")
    assert reached_app(env.login(browser, client, email))

    env.dashboard.deny(client.client_id or "")  # Hydra still says skip: we ask again
    again = browser.get(env.authorize_url(client))
    assert again.status == 403, again.urls
    assert "You do not have access to Notes" in again.page.text
    assert not reached_app(again)


def test_consent_is_asked_again_when_not_remembered(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "")
    visit = password_login(browser, browser.get(env.authorize_url(client)), email)
    form = visit.page.form(None, button="accept")
    data = form.data("accept")
    data.pop("remember")
    assert reached_app(browser.post(f"{env.login_url}/auth/consent", data))

    again = browser.get(env.authorize_url(client))
    assert again.status == 200
    assert "Allow Notes?" in again.page.text


def test_consent_is_rejected_when_user_has_no_role_on_app(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.deny(client.client_id or "", name="Wiki")

    visit = password_login(browser, browser.get(env.authorize_url(client)), email)
    assert visit.status == 403
    assert "You do not have access to Wiki" in visit.page.text
    assert "the helpdesk (help@example.org)" in visit.page.text
    back = browser.get(visit.page.link("Return to the app"))
    error = parse_qs(urlsplit(back.url).query)
    assert back.url.startswith("http://127.0.0.1:9/callback"), back.urls
    assert error["error"] == ["access_denied"]
    assert "code" not in error


def test_consent_is_rejected_for_a_client_linked_to_no_app(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()  # the stub answers 404 for it
    visit = password_login(browser, browser.get(env.authorize_url(client)), email)
    assert visit.status == 403
    assert "not registered" in visit.page.text


def test_declining_consent_tells_the_app(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "")
    visit = password_login(browser, browser.get(env.authorize_url(client)), email)
    back = browser.submit(visit, None, "deny")
    assert back.url.startswith("http://127.0.0.1:9/callback?error=access_denied"), back.urls


def test_claims_in_the_id_token(env: Env, browser: Browser) -> None:
    username = f"grace-{secrets.token_hex(4)}"
    subject, email = env.create_user(name="Grace Hopper", username=username)
    client = env.create_client()
    env.dashboard.allow(
        client.client_id or "",
        trusted=True,
        role="admin",
        claims={"role": "admin", "groups": ["ops"], "email": "spoofed@example.org"},
    )
    visit = env.login(browser, client, email)
    assert reached_app(visit)
    claims = jwt_claims(env.exchange_code(client, visit.url)["id_token"])
    assert claims["sub"] == subject
    assert claims["email"] == email  # the identity's own claims win over app claims
    assert claims["email_verified"] is False
    assert claims["name"] == "Grace Hopper"
    assert claims["preferred_username"] == username
    assert claims["role"] == "admin"
    assert claims["groups"] == ["ops"]
    assert claims["acr"] == "aal1"
    assert claims["amr"] == ["pwd"]


def test_the_decisions_identity_claims_go_into_the_id_token(env: Env, browser: Browser) -> None:
    # dashboard-api read the identity for its decision and sends its claims: login-service takes
    # them as they are (these differ from what Kratos holds, so reading Kratos would show).
    _, email = env.create_user(name="Grace Hopper")
    client = env.create_client()
    env.dashboard.allow(
        client.client_id or "",
        trusted=True,
        claims={"role": "user", "email": "spoofed@example.org"},
        identity_claims={"email": email, "email_verified": True, "name": "G. Hopper"},
    )
    visit = env.login(browser, client, email)
    assert reached_app(visit)
    claims = jwt_claims(env.exchange_code(client, visit.url)["id_token"])
    assert (claims["email"], claims["email_verified"], claims["name"]) == (email, True, "G. Hopper")
    assert "preferred_username" not in claims  # not in the decision's claims: not added
    assert claims["role"] == "user"


def test_our_consent_form_refuses_a_missing_csrf_token(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "")
    visit = password_login(browser, browser.get(env.authorize_url(client)), email)
    data = visit.page.form(None, button="accept").data("accept")
    data["csrf_token"] = "forged"
    answer = browser.post(f"{env.login_url}/auth/consent", data)
    assert answer.status == 400
    assert "This form has expired" in answer.page.text
    assert answer.page.link("Try again").startswith("/auth/consent?consent_challenge=")
    assert not answer.url.startswith("http://127.0.0.1:9/")


def test_submitting_consent_twice_does_not_fail(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "")
    visit = password_login(browser, browser.get(env.authorize_url(client)), email)
    data = visit.page.form(None, button="accept").data("accept")
    assert reached_app(browser.post(f"{env.login_url}/auth/consent", data))
    again = browser.http.post(f"{env.login_url}/auth/consent", data=data)
    assert again.status_code in (303, 400), again.text[:300]
    assert "Traceback" not in again.text
    if again.status_code == 303:
        assert again.headers["Location"].startswith(env.hydra_public_url)


@pytest.mark.parametrize("action", ["accept", "deny"])
def test_back_or_reload_after_consent_never_tells_the_app_access_denied(
    env: Env, browser: Browser, action: str
) -> None:
    # Hydra answers a used (stateless) consent challenge as new; a second answer to it would
    # end in access_denied at the app. Back, reload or a resubmitted form start afresh.
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "")
    visit = password_login(browser, browser.get(env.authorize_url(client)), email)
    consent_url = visit.url
    data = visit.page.form(None, button="accept").data("accept")
    data.pop("remember", None)  # not remembered: the fresh request asks again
    assert reached_app(browser.post(f"{env.login_url}/auth/consent", data))

    back = browser.get(consent_url)
    assert back.status == 200, back.urls
    assert "/auth/consent?consent_challenge=" in back.url
    assert back.url != consent_url  # a new request: the old one is finished
    assert "Allow Notes?" in back.page.text

    resent = dict(data, action=action)
    again = browser.post(f"{env.login_url}/auth/consent", resent)
    assert "error=access_denied" not in again.url, again.urls
    assert "/auth/consent?consent_challenge=" in again.url, again.urls
    assert again.url not in (consent_url, back.url)
    # The fresh request takes an answer as usual.
    fresh = again.page.form(None, button="accept").data("accept")
    done = browser.post(f"{env.login_url}/auth/consent", fresh)
    assert reached_app(done), done.urls
    assert "code=" in done.url
