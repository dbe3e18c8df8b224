"""The frontend's login through Hydra (PKCE, session cookie, RP-initiated logout) and Bearer
access tokens checked by introspection, against the Hydra stand-in."""

from __future__ import annotations

import contextlib
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from dashboard_api.actors import Actor
from dashboard_api.apps import service as apps
from dashboard_api.context import Context
from stackspin_clients.models import AcceptConsent, AcceptLogin, OAuth2Client


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _play_login_and_consent(
    browser: httpx.Client, authorize_url: str, ory_clients, subject: str
) -> str:
    """Act as the browser plus login-service: returns the redirect to the client's callback."""
    step = browser.get(authorize_url)
    assert step.status_code in (302, 303), step.text
    challenge = _query(step.headers["location"])["login_challenge"]
    accepted = ory_clients.hydra.accept_login_request(challenge, AcceptLogin(subject=subject))
    step = browser.get(accepted.redirect_to)
    consent_challenge = _query(step.headers["location"])["consent_challenge"]
    consent = ory_clients.hydra.get_consent_request(consent_challenge)
    accepted = ory_clients.hydra.accept_consent_request(
        consent_challenge,
        AcceptConsent(
            grant_scope=consent.requested_scope,
            grant_access_token_audience=consent.requested_access_token_audience,
        ),
    )
    step = browser.get(accepted.redirect_to)
    assert step.status_code in (302, 303), step.text
    return step.headers["location"]


@pytest.fixture
def frontend_client(ory_clients, settings, database) -> str:
    """The dashboard frontend's confidential client, registered in Hydra and linked here."""
    with contextlib.suppress(Exception):
        ory_clients.hydra.delete_oauth2_client(settings.oauth_client_id)
    ory_clients.hydra.create_oauth2_client(
        OAuth2Client(
            client_id=settings.oauth_client_id,
            client_secret=settings.oauth_client_secret,
            redirect_uris=[settings.redirect_uri],
            post_logout_redirect_uris=[settings.logout_redirect],
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            scope="openid email profile offline_access",
            token_endpoint_auth_method="client_secret_basic",
        )
    )
    with database.transaction() as session:
        ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.system())
        apps.link_client(ctx, slug="dashboard", client_id=settings.oauth_client_id)
    return settings.oauth_client_id


def _login(
    api, ory_clients, subject: str, return_to: str = "/users", dashboard: httpx.Client | None = None
) -> httpx.Client:
    dashboard = dashboard or httpx.Client(base_url=api.url, timeout=30)
    start = dashboard.get("/api/v1/auth/login", params={"return_to": return_to})
    assert start.status_code == 302
    location = start.headers["location"]
    params = _query(location)
    assert params["code_challenge_method"] == "S256"
    assert params["code_challenge"]
    with httpx.Client(timeout=30) as browser:
        callback = _play_login_and_consent(browser, location, ory_clients, subject)
    # The callback URL names the public origin; the request goes to our server.
    callback_query = urlsplit(callback).query
    finished = dashboard.get(f"/api/v1/auth/callback?{callback_query}")
    assert finished.status_code == 302, finished.text
    assert finished.headers["location"] == return_to
    cookie = finished.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    dashboard.callback_query = callback_query  # type: ignore[attr-defined]
    return dashboard


def test_a_login_started_on_the_docs_page_returns_to_the_docs(
    api, ory_clients, frontend_client, member
) -> None:
    dashboard = _login(api, ory_clients, member.subject, return_to="/api/docs")
    assert dashboard.get("/api/docs").status_code == 200
    assert dashboard.get("/api/v1/me").json()["id"] == member.subject


def test_browser_login_sets_a_session_cookie_and_logout_ends_it(
    api, ory_clients, frontend_client, member
) -> None:
    dashboard = _login(api, ory_clients, member.subject)
    assert dashboard.get("/api/v1/me").json()["id"] == member.subject
    # A state works once.
    replay = dashboard.get(f"/api/v1/auth/callback?{dashboard.callback_query}")
    assert replay.status_code == 400
    out = dashboard.post("/api/v1/auth/logout")
    assert out.status_code == 303
    target = out.headers["location"]
    assert "/oauth2/sessions/logout" in target
    assert "id_token_hint" in _query(target)
    assert dashboard.get("/api/v1/me").status_code == 401


def test_a_callback_carrying_another_browsers_login_is_refused(
    api, ory_clients, frontend_client, member
) -> None:
    # The attacker starts a login and signs in as themselves, then hands the callback URL on.
    attacker = httpx.Client(base_url=api.url, timeout=30)
    start = attacker.get("/api/v1/auth/login")
    with httpx.Client(timeout=30) as browser:
        callback = _play_login_and_consent(
            browser, start.headers["location"], ory_clients, member.subject
        )
    with httpx.Client(base_url=api.url, timeout=30) as victim:
        planted = victim.get(f"/api/v1/auth/callback?{urlsplit(callback).query}")
        assert planted.status_code == 400
        assert "dashboard_session" not in planted.headers.get("set-cookie", "")


def test_logging_in_replaces_the_session_the_browser_had(
    api, ory_clients, frontend_client, member
) -> None:
    dashboard = _login(api, ory_clients, member.subject)
    old_token = dashboard.cookies["dashboard_session"]
    _login(api, ory_clients, member.subject, dashboard=dashboard)
    assert dashboard.cookies["dashboard_session"] != old_token
    assert dashboard.get("/api/v1/me").status_code == 200
    stale = httpx.get(f"{api.url}/api/v1/me", cookies={"dashboard_session": old_token})
    assert stale.status_code == 401


def test_login_refuses_open_redirects(anonymous) -> None:
    for target in (
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/ /evil.example",
        "users",
    ):
        response = anonymous.get("/api/v1/auth/login", params={"return_to": target})
        assert response.status_code == 400


def test_callback_with_an_unknown_state_is_refused(anonymous) -> None:
    response = anonymous.get("/api/v1/auth/callback", params={"state": "made-up", "code": "x"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


def _access_token(ory_clients, settings, subject: str, client_id: str, secret: str) -> str:
    with httpx.Client(timeout=30) as browser:
        authorize = httpx.URL(
            f"{settings.hydra_public_url}/oauth2/auth",
            params={
                "client_id": client_id,
                "response_type": "code",
                "redirect_uri": "https://script.example/cb",
                "scope": "openid",
                "state": "s" * 12,
            },
        )
        callback = _play_login_and_consent(browser, str(authorize), ory_clients, subject)
        code = _query(callback)["code"]
        token = browser.post(
            f"{settings.hydra_public_url}/oauth2/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": "https://script.example/cb",
            },
            auth=(client_id, secret),
        )
    token.raise_for_status()
    return token.json()["access_token"]


def _script_client(ory_clients, client_id: str) -> str:
    created = ory_clients.hydra.create_oauth2_client(
        OAuth2Client(
            client_id=client_id,
            redirect_uris=["https://script.example/cb"],
            grant_types=["authorization_code"],
            response_types=["code"],
            scope="openid",
        )
    )
    assert created.client_secret
    return created.client_secret


def test_bearer_tokens_of_dashboard_clients_are_accepted_and_cached(
    api, ory, ory_clients, settings, database, member
) -> None:
    import secrets

    client_id = f"script-{secrets.token_hex(4)}"
    secret = _script_client(ory_clients, client_id)
    token = _access_token(ory_clients, settings, member.subject, client_id, secret)
    headers = {"Authorization": f"Bearer {token}"}
    # Not yet linked to the dashboard app: refused.
    assert httpx.get(f"{api.url}/api/v1/me", headers=headers).status_code == 401
    with database.transaction() as session:
        ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.system())
        apps.link_client(ctx, slug="dashboard", client_id=client_id)
    ory.hydra_calls.clear()
    for _ in range(3):
        me = httpx.get(f"{api.url}/api/v1/me", headers=headers)
        assert me.status_code == 200
        assert me.json()["id"] == member.subject
    introspections = ory.hydra_calls.counts()[("POST", "/admin/oauth2/introspect")]
    assert introspections <= 1
    bad = httpx.get(f"{api.url}/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401


@pytest.fixture
def member_bearer(api, ory_clients, settings, database, member) -> dict[str, str]:
    """Authorization header with a Hydra access token of `member`, issued to a dashboard client."""
    import secrets

    client_id = f"script-{secrets.token_hex(4)}"
    secret = _script_client(ory_clients, client_id)
    with database.transaction() as session:
        ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.system())
        apps.link_client(ctx, slug="dashboard", client_id=client_id)
    token = _access_token(ory_clients, settings, member.subject, client_id, secret)
    headers = {"Authorization": f"Bearer {token}"}
    # Now the answer sits in the introspection cache (30 s in these settings).
    assert httpx.get(f"{api.url}/api/v1/me/apps", headers=headers).status_code == 200
    return headers


def test_a_cached_bearer_token_stops_working_at_once_when_the_user_is_deactivated(
    api, settings, admin, member, member_bearer
) -> None:
    assert settings.introspection_cache_seconds >= 30
    changed = admin.client.patch(f"/api/v1/users/{member.subject}", json={"state": "inactive"})
    assert changed.status_code == 200, changed.text
    assert httpx.get(f"{api.url}/api/v1/me/apps", headers=member_bearer).status_code == 401


def test_a_cached_bearer_token_stops_working_at_once_when_the_user_is_deleted(
    api, admin, member, member_bearer
) -> None:
    assert admin.client.delete(f"/api/v1/users/{member.subject}").status_code == 204
    assert httpx.get(f"{api.url}/api/v1/me/apps", headers=member_bearer).status_code == 401


def test_a_cached_bearer_token_stops_working_at_once_when_the_dashboard_role_is_lowered(
    api, admin, member, member_bearer
) -> None:
    promote = {"roles": [{"app": "dashboard", "role": "admin"}]}
    assert admin.client.patch(f"/api/v1/users/{member.subject}", json=promote).status_code == 200
    assert httpx.get(f"{api.url}/api/v1/users", headers=member_bearer).status_code == 200
    demote = {"roles": [{"app": "dashboard", "role": "user"}]}
    assert admin.client.patch(f"/api/v1/users/{member.subject}", json=demote).status_code == 200
    # The token carried the admin role: Hydra revoked it with the consent, the cache forgot it.
    assert httpx.get(f"{api.url}/api/v1/users", headers=member_bearer).status_code == 401
    assert httpx.get(f"{api.url}/api/v1/me/apps", headers=member_bearer).status_code == 401
