"""Security headers, allowlisted redirects, settings that refuse placeholder secrets."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from login_service import Settings
from login_service.return_urls import is_allowed_return_url
from login_testkit import APP_ORIGIN, CALLBACK, Browser, Env, password_login
from pydantic import ValidationError


def test_pages_carry_strict_security_headers(env: Env) -> None:
    response = httpx.get(f"{env.login_url}/auth/login", follow_redirects=True, timeout=10)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    assert "style=" not in response.text  # inline styles would need unsafe-inline
    assert "<style" not in response.text


def form_action(response: httpx.Response) -> set[str] | None:
    for directive in response.headers["Content-Security-Policy"].split(";"):
        name, _, value = directive.strip().partition(" ")
        if name == "form-action":
            return set(value.split())
    return None


def our_origins(env: Env) -> set[str]:
    return {"'self'", env.login_url.rstrip("/"), env.kratos_public_url, env.hydra_public_url}


def test_consent_form_may_lead_only_to_us_kratos_hydra_and_the_apps_redirect_origin(
    env: Env, browser: Browser
) -> None:
    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "")
    visit = password_login(browser, browser.get(env.authorize_url(client)), email)
    assert "/auth/consent" in visit.url, visit.urls
    assert visit.status == 200
    assert form_action(visit.response) == our_origins(env) | {APP_ORIGIN.rstrip("/")}


def test_logout_form_may_lead_to_the_apps_post_logout_origin(env: Env, browser: Browser) -> None:
    from urllib.parse import urlencode

    _, email = env.create_user()
    after = "https://after.example/bye"
    client = env.create_client(
        redirect_uris=[CALLBACK, "https://after.example/cb"], post_logout_redirect_uris=[after]
    )
    env.dashboard.allow(client.client_id or "", trusted=True)
    id_token = env.exchange_code(client, env.login(browser, client, email).url)["id_token"]
    params = urlencode({"id_token_hint": id_token, "post_logout_redirect_uri": after})
    confirm = browser.get(f"{env.hydra_public_url}/oauth2/sessions/logout?{params}")
    assert "/auth/logout?logout_challenge=" in confirm.url, confirm.urls
    assert form_action(confirm.response) == our_origins(env) | {"https://after.example"}


def test_other_pages_forms_may_lead_only_to_us_kratos_and_hydra(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    password_login(browser, browser.get(f"{env.login_url}/auth/login"), email)
    settings = browser.get(f"{env.login_url}/auth/settings")
    assert "/auth/settings?flow=" in settings.url
    recovery = httpx.get(f"{env.login_url}/auth/recovery", follow_redirects=True, timeout=10)
    missing = httpx.get(f"{env.login_url}/auth/nothing-here", timeout=10)
    own_logout = browser.get(f"{env.login_url}/auth/logout")
    for response in (settings.response, recovery, missing, own_logout.response):
        assert form_action(response) == our_origins(env), response.url


def test_the_login_page_leaves_form_action_out(env: Env) -> None:
    # Its form ends, through Kratos, Hydra and consent, at whichever app asked.
    page = httpx.get(f"{env.login_url}/auth/login", follow_redirects=True, timeout=10)
    assert "/auth/login?flow=" in str(page.url)
    assert form_action(page) is None


def test_redirects_and_error_pages_are_not_stored_either(env: Env) -> None:
    to_kratos = httpx.get(f"{env.login_url}/auth/recovery", timeout=10)
    assert to_kratos.status_code == 303
    missing = httpx.get(f"{env.login_url}/auth/nothing-here", timeout=10)
    bad_challenge = httpx.get(f"{env.login_url}/auth/consent?consent_challenge=%00", timeout=10)
    for response in (to_kratos, missing, bad_challenge):
        assert response.headers["Cache-Control"] == "no-store", response.url


def test_static_files_are_ours_and_cacheable(env: Env) -> None:
    page = httpx.get(f"{env.login_url}/auth/logged-out", timeout=10)
    assert 'href="/auth/static/pico/pico.min.css"' in page.text
    assert "cdn" not in page.text.lower()
    css = httpx.get(f"{env.login_url}/auth/static/pico/pico.min.css", timeout=10)
    assert css.status_code == 200
    assert "no-store" not in css.headers.get("Cache-Control", "")
    theme = httpx.get(f"{env.login_url}/auth/theme.css", timeout=10)
    assert env.settings.accent_color in theme.text


def test_settings_page_with_secrets_is_not_stored(env: Env, browser: Browser) -> None:
    _, email = env.create_user()
    password_login(browser, browser.get(f"{env.login_url}/auth/login"), email)
    settings = browser.get(f"{env.login_url}/auth/settings")
    assert "/auth/settings?flow=" in settings.url
    assert settings.response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "return_to",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://127.0.0.1.evil.example/",
        "http://127.0.0.1@evil.example/",
        "javascript:alert(1)",
        "http://127.0.0.1:1/%0d%0aLocation:%20https://evil.example",
    ],
)
def test_open_redirect_attempts_are_refused(env: Env, return_to: str) -> None:
    for kind in ("login", "recovery", "settings", "verification"):
        response = httpx.get(
            f"{env.login_url}/auth/{kind}", params={"return_to": return_to}, timeout=10
        )
        assert response.status_code == 303
        location = response.headers["Location"]
        assert location.startswith(f"{env.kratos_public_url}/self-service/{kind}/browser")
        # Signed out, settings returns to our own settings page after sign-in; nothing else.
        own = [f"{env.login_url}/auth/settings"] if kind == "settings" else None
        assert parse_qs(urlsplit(location).query).get("return_to") == own


def test_allowlisted_return_to_is_passed_to_kratos(env: Env) -> None:
    target = f"{env.login_url}/auth/login"
    response = httpx.get(f"{env.login_url}/auth/recovery", params={"return_to": target})
    assert parse_qs(urlsplit(response.headers["Location"]).query)["return_to"] == [target]


def test_kratos_refuses_a_foreign_return_to_even_when_sent_directly(
    env: Env, browser: Browser
) -> None:
    visit = browser.get(
        f"{env.kratos_public_url}/self-service/login/browser?return_to=https://evil.example/"
    )
    assert not visit.url.startswith("https://evil.example")


def test_return_url_allowlist_compares_origins_and_paths() -> None:
    settings = Settings(
        public_url="https://sso.example.org",
        allowed_return_urls=["https://app.example.org/dashboard"],
    )
    allowed = [
        "https://sso.example.org/auth/login",
        "https://app.example.org/dashboard",
        "https://app.example.org/dashboard/users?x=1",
    ]
    refused = [
        "https://app.example.org/dashboardevil",
        "https://app.example.org/other",
        "https://sso.example.org.evil.net/",
        "https://sso.example.org@evil.net/",
        "http://sso.example.org/auth/login",
        "//sso.example.org/",
        "/auth/login",
        "https://sso.example.org\\@evil.net/",
        "data:text/html,hi",
        "",
    ]
    assert all(is_allowed_return_url(u, settings) for u in allowed)
    assert not any(is_allowed_return_url(u, settings) for u in refused)


def test_allowed_return_urls_read_from_a_comma_separated_env(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOGIN_ALLOWED_RETURN_URLS", "https://a.example/, https://b.example/x")
    assert Settings().allowed_return_urls == ["https://a.example/", "https://b.example/x"]


def test_production_refuses_placeholder_secrets() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production", secret_key="changethis")
    with pytest.raises(ValidationError, match="DASHBOARD_INTERNAL_TOKEN"):
        Settings(environment="production", secret_key="x" * 40)
    ok = Settings(environment="production", secret_key="k" * 40, dashboard_internal_token="t" * 40)
    assert ok.is_production


def test_accent_colour_must_be_a_plain_hex_colour() -> None:
    with pytest.raises(ValidationError):
        Settings(accent_color="red;} body{display:none")
    assert Settings(accent_color="#0a0").accent_color == "#0a0"


def test_logs_carry_request_ids_but_no_secrets(
    env: Env, browser: Browser, capfd: pytest.CaptureFixture[str]
) -> None:
    import json

    _, email = env.create_user()
    client = env.create_client()
    env.dashboard.allow(client.client_id or "", trusted=True)
    visit = browser.get(env.authorize_url(client))
    csrf = visit.page.form("password").fields["csrf_token"]
    visit = password_login(browser, visit, email)
    code = parse_qs(urlsplit(visit.url).query)["code"][0]
    cookies = [c.value for c in browser.http.cookies.jar]

    ours = [
        json.loads(line)
        for line in capfd.readouterr().err.splitlines()
        if line.startswith("{") and '"request_id"' in line
    ]
    assert ours
    assert all(entry["request_id"] for entry in ours)
    text = json.dumps(ours)
    for secret in ["correct horse battery staple 42", csrf, code, *cookies]:
        assert secret not in text
    assert "login_challenge=" not in text


def test_site_name_logo_and_accent_colour_come_from_settings(
    env: Env, login_service_with: Callable[..., str]
) -> None:
    url = login_service_with(
        site_name="Acme Cloud", logo_url="https://cdn.acme.example/logo.svg", accent_color="#aa3300"
    )
    page = httpx.get(f"{url}/auth/logged-out", timeout=10)
    assert "Acme Cloud" in page.text
    assert 'src="https://cdn.acme.example/logo.svg"' in page.text
    assert (
        "img-src 'self' data: https://cdn.acme.example" in page.headers["Content-Security-Policy"]
    )
    assert "#aa3300" in httpx.get(f"{url}/auth/theme.css", timeout=10).text


def test_secret_looking_log_fields_are_redacted(capfd: pytest.CaptureFixture[str]) -> None:
    import structlog
    from login_service.observability import configure_logging

    configure_logging()
    structlog.get_logger("t").info(
        "event", login_challenge="lc", logout_verifier="v", session_token="t", subject="s"
    )
    line = capfd.readouterr().err.strip().splitlines()[-1]
    assert '"subject": "s"' in line
    for value in ('"lc"', '"v"', '"t"'):
        assert value not in line


def test_upstream_calls_leave_no_challenge_in_any_log(
    env: Env, browser: Browser, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from login_service.observability import configure_logging

    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)  # every logger that is not told otherwise
    client = env.create_client()
    visit = browser.get(env.authorize_url(client))
    assert visit.page.form("password")
    leaking = [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.records
        # werkzeug: the tests' WSGI server's access log (gunicorn keeps none: gunicorn.conf.py)
        if "_challenge=" in record.getMessage() and record.name != "werkzeug"
    ]
    assert leaking == []
