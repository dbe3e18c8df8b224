"""An independent OIDC client (Authlib) logs in through the stand-in with PKCE."""

from __future__ import annotations

import time

import httpx
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.jwk import KeySet

from .conftest import RP, query_of


def _discover(hydra):
    config = httpx.get(hydra.public_url + "/.well-known/openid-configuration").json()
    jwks = KeySet.import_key_set(httpx.get(config["jwks_uri"]).json())
    return config, jwks


def _verify_id_token(token, jwks, *, issuer, client_id, nonce):
    decoded = jwt.decode(token, jwks, algorithms=["RS256"])
    registry = jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": client_id},
        nonce={"essential": True, "value": nonce},
        exp={"essential": True},
        sub={"essential": True},
    )
    registry.validate(decoded.claims)
    return decoded


def test_public_client_logs_in_with_pkce_and_gets_verifiable_id_token(hydra, browser):
    client = hydra.create_client(token_endpoint_auth_method="none")
    assert "client_secret" not in client
    config, jwks = _discover(hydra)
    assert config["issuer"] == hydra.config.issuer

    oauth = OAuth2Client(
        client_id=client["client_id"],
        redirect_uri=RP,
        scope="openid offline_access email",
        token_endpoint_auth_method="none",
        code_challenge_method="S256",
    )
    verifier = generate_token(64)
    nonce = generate_token(20)
    url, state = oauth.create_authorization_url(
        config["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    to_login = browser.get(url)
    assert to_login.headers["location"].startswith(hydra.config.login_url + "?login_challenge=")
    to_consent = browser.login(to_login, "alice", remember=True, acr="aal1", amr=["pwd"])
    assert to_consent.headers["location"].startswith(hydra.config.consent_url)
    back = browser.consent(
        to_consent,
        grant_scope=["openid", "offline_access", "email"],
        session={"id_token": {"email": "alice@example.org", "role": "admin"}},
    )
    callback = back.headers["location"]
    assert callback.startswith(RP)
    assert query_of(back)["state"] == state

    token = oauth.fetch_token(
        config["token_endpoint"], authorization_response=callback, code_verifier=verifier
    )
    assert token["token_type"].lower() == "bearer"
    assert token["access_token"].startswith("ory_at_")
    assert "refresh_token" in token

    id_token = _verify_id_token(
        token["id_token"],
        jwks,
        issuer=hydra.config.issuer,
        client_id=client["client_id"],
        nonce=nonce,
    )
    claims = id_token.claims
    assert id_token.header["kid"] == jwks.keys[0].kid
    assert claims["sub"] == "alice"
    assert claims["email"] == "alice@example.org"
    assert claims["role"] == "admin"
    assert claims["acr"] == "aal1"
    assert claims["amr"] == ["pwd"]
    assert claims["sid"]
    assert abs(claims["auth_time"] - time.time()) < 60
    assert claims["exp"] > time.time()
    assert "at_hash" in claims

    info = httpx.get(
        config["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {token['access_token']}"},
    ).json()
    assert info["sub"] == "alice"
    assert info["email"] == "alice@example.org"

    refreshed = oauth.refresh_token(config["token_endpoint"], refresh_token=token["refresh_token"])
    assert refreshed["access_token"] != token["access_token"]
    assert refreshed["refresh_token"] != token["refresh_token"]
    again = jwt.decode(refreshed["id_token"], jwks).claims
    assert again["sub"] == "alice"
    assert again["email"] == "alice@example.org"
    # The rotated-out access token no longer works.
    old = httpx.get(
        config["userinfo_endpoint"], headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert old.status_code == 401


def test_confidential_client_with_secret_basic_and_secret_post(hydra, browser):
    for method in ("client_secret_basic", "client_secret_post"):
        client = hydra.create_client(token_endpoint_auth_method=method)
        oauth = OAuth2Client(
            client_id=client["client_id"],
            client_secret=client["client_secret"],
            redirect_uri=RP,
            scope="openid",
            token_endpoint_auth_method=method,
        )
        start, verifier = browser.start(client, scope="openid")
        back = browser.consent(browser.login(start, "bob"))
        token = oauth.fetch_token(
            hydra.public_url + "/oauth2/token",
            authorization_response=back.headers["location"],
            code_verifier=verifier,
        )
        assert "id_token" in token
        assert "refresh_token" not in token  # no offline scope granted


def test_remembered_login_and_consent_are_skipped_next_time(hydra, browser):
    client = hydra.create_client()
    start, _ = browser.start(client)
    to_consent = browser.login(start, "carol", remember=True, remember_for=3600)
    browser.consent(to_consent, remember=True, remember_for=0)

    second, _ = browser.start(client)
    challenge = query_of(second)["login_challenge"]
    with hydra.admin() as admin:
        login = admin.get(
            "/admin/oauth2/auth/requests/login", params={"login_challenge": challenge}
        ).json()
    assert login["skip"] is True
    assert login["subject"] == "carol"
    to_consent = browser.login(second, "carol")
    consent_challenge = query_of(to_consent)["consent_challenge"]
    with hydra.admin() as admin:
        consent = admin.get(
            "/admin/oauth2/auth/requests/consent",
            params={"consent_challenge": consent_challenge},
        ).json()
    assert consent["skip"] is True
    assert consent["subject"] == "carol"
    assert browser.consent(to_consent).headers["location"].startswith(RP)

    # prompt=none now succeeds silently (both remembered), prompt=login forces a new login.
    silent, _ = browser.start(client, prompt="none")
    assert query_of(silent)["login_challenge"]
    forced, _ = browser.start(client, prompt="login")
    with hydra.admin() as admin:
        login = admin.get(
            "/admin/oauth2/auth/requests/login",
            params={"login_challenge": query_of(forced)["login_challenge"]},
        ).json()
    assert login["skip"] is False


def test_prompt_none_without_session_returns_login_required_to_client(hydra, browser):
    client = hydra.create_client()
    response, _ = browser.start(client, prompt="none", state="state-123456")
    assert response.headers["location"].startswith(RP)
    query = query_of(response)
    assert query["error"] == "login_required"
    assert query["state"] == "state-123456"


def test_max_age_forces_login_when_session_is_older(hydra, browser):
    client = hydra.create_client()
    start, _ = browser.start(client)
    browser.consent(browser.login(start, "dave", remember=True))
    hydra.clock.advance(1.1)
    again, _ = browser.start(client, max_age="0")
    with hydra.admin() as admin:
        login = admin.get(
            "/admin/oauth2/auth/requests/login",
            params={"login_challenge": query_of(again)["login_challenge"]},
        ).json()
    assert login["skip"] is False


def test_rejected_login_sends_error_to_client(hydra, browser):
    client = hydra.create_client()
    start, _ = browser.start(client, state="reject-state-1")
    with hydra.admin() as admin:
        answer = admin.put(
            "/admin/oauth2/auth/requests/login/reject",
            params={"login_challenge": query_of(start)["login_challenge"]},
            json={"error": "access_denied", "error_description": "The user said no."},
        ).json()
    back = browser.get(answer["redirect_to"])
    query = query_of(back)
    assert back.headers["location"].startswith(RP)
    assert query["error"] == "access_denied"
    assert query["error_description"] == "The user said no."
    assert query["state"] == "reject-state-1"


def test_client_credentials_token_is_introspectable(hydra):
    client = hydra.create_client(grant_types=["client_credentials"], scope="api")
    oauth = OAuth2Client(client["client_id"], client["client_secret"], scope="api")
    token = oauth.fetch_token(hydra.public_url + "/oauth2/token", grant_type="client_credentials")
    assert "refresh_token" not in token
    assert "id_token" not in token
    with hydra.admin() as admin:
        info = admin.post("/admin/oauth2/introspect", data={"token": token["access_token"]}).json()
    assert info["active"] is True
    assert info["sub"] == client["client_id"]
    assert info["scope"] == "api"


def test_revoked_refresh_token_stops_working(hydra, browser):
    client = hydra.create_client()
    start, verifier = browser.start(client)
    back = browser.consent(browser.login(start, "erin"))
    oauth = OAuth2Client(client["client_id"], client["client_secret"], redirect_uri=RP)
    token = oauth.fetch_token(
        hydra.public_url + "/oauth2/token",
        authorization_response=back.headers["location"],
        code_verifier=verifier,
    )
    oauth.revoke_token(hydra.public_url + "/oauth2/revoke", token["refresh_token"])
    with hydra.admin() as admin:
        info = admin.post("/admin/oauth2/introspect", data={"token": token["access_token"]})
    assert info.json() == {"active": False}


def test_the_rfc_7636_s256_example_pair_redeems_a_code(hydra, browser):
    # RFC 7636 Appendix B, as literals: the stand-in and these tests both compute S256 with
    # authlib, so a mistake they shared would otherwise go unseen.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    client = hydra.create_client(token_endpoint_auth_method="none")
    start, _ = browser.start(client, code_challenge="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    back = browser.consent(browser.login(start, "frank"))
    form = {
        "grant_type": "authorization_code",
        "code": query_of(back)["code"],
        "redirect_uri": RP,
        "client_id": client["client_id"],
    }
    token = httpx.post(hydra.public_url + "/oauth2/token", data={**form, "code_verifier": verifier})
    assert token.status_code == 200, token.text
    assert token.json()["access_token"].startswith("ory_at_")
