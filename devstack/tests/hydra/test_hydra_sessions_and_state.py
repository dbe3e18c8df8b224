"""Sessions, consent memory, logout edges and persisted state of the Hydra stand-in."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from devstack.hydra import HydraConfig, create_apps
from devstack.hydra.cookie_names import murmur3_32
from devstack.serve import start_asgi
from joserfc import jwt
from joserfc.jwk import KeySet

from .conftest import RP, Browser, query_of

REQUESTS = "/admin/oauth2/auth/requests"


def _login_request(hydra, response):
    with hydra.admin() as admin:
        return admin.get(
            f"{REQUESTS}/login", params={"login_challenge": query_of(response)["login_challenge"]}
        ).json()


def _tokens(hydra, browser, client, subject="user-1", **login):
    start, verifier = browser.start(client)
    back = browser.consent(browser.login(start, subject, **login))
    response = httpx.post(
        hydra.public_url + "/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": query_of(back)["code"],
            "redirect_uri": RP,
            "code_verifier": verifier,
        },
        auth=(client["client_id"], client["client_secret"]),
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_login_without_remember_forgets_the_earlier_session(hydra, browser):
    client = hydra.create_client()
    _tokens(hydra, browser, client, "mia", remember=True)
    again, _ = browser.start(client)
    assert _login_request(hydra, again)["skip"] is True
    # The same browser logs in again (prompt=login) without "remember me".
    forced, _ = browser.start(client, prompt="login")
    browser.consent(browser.login(forced, "mia", remember=False))
    third, _ = browser.start(client)
    assert _login_request(hydra, third)["skip"] is False


def test_public_client_with_custom_scheme_redirect_is_always_asked_for_consent(hydra, browser):
    native = "com.example.app:/callback"
    client = hydra.create_client(token_endpoint_auth_method="none", redirect_uris=[native])
    start, _ = browser.start(client, redirect_uri=native)
    browser.consent(browser.login(start, "nia", remember=True), remember=True)
    again, _ = browser.start(client, redirect_uri=native)
    to_consent = browser.login(again, "nia")
    with hydra.admin() as admin:
        consent = admin.get(
            f"{REQUESTS}/consent",
            params={"consent_challenge": query_of(to_consent)["consent_challenge"]},
        ).json()
    assert consent["skip"] is False


def test_consent_list_holds_every_granted_consent_and_revokes_by_request_id(hydra, browser):
    client = hydra.create_client()
    _tokens(hydra, browser, client, "otto")  # not remembered: still listed, as in Hydra
    tokens = _tokens(hydra, browser, client, "otto")
    with hydra.admin() as admin:
        sessions = admin.get("/admin/oauth2/auth/sessions/consent", params={"subject": "otto"})
        listed = sessions.json()
        assert len(listed) == 2
        assert all(s["remember"] is False for s in listed)
        assert all(s["consent_request"]["challenge"] == "" for s in listed)
        assert 'rel="first"' in sessions.headers["link"]
        last = listed[-1]["consent_request_id"]
        bad = admin.delete(
            "/admin/oauth2/auth/sessions/consent",
            params={"consent_request_id": last, "subject": "otto"},
        )
        assert bad.status_code == 400
        gone = admin.delete(
            "/admin/oauth2/auth/sessions/consent", params={"consent_request_id": last}
        )
        assert gone.status_code == 204
        assert len(admin.get("/admin/oauth2/auth/sessions/consent?subject=otto").json()) == 1
        info = admin.post("/admin/oauth2/introspect", data={"token": tokens["access_token"]})
        assert info.json() == {"active": False}
        empty = admin.get("/admin/oauth2/auth/sessions/consent", params={"subject": "nobody"})
        assert empty.json() == []
        assert "link" not in empty.headers


def test_id_token_hint_for_another_user_at_authorize_is_login_required(hydra, browser):
    client = hydra.create_client()
    mine = _tokens(hydra, browser, client, "pia", remember=True)
    same, _ = browser.start(client, id_token_hint=mine["id_token"])
    request = _login_request(hydra, same)
    assert request["skip"] is True
    assert request["oidc_context"]["id_token_hint_claims"]["sub"] == "pia"

    second = Browser(hydra)  # another person, logged in in another browser
    try:
        theirs = _tokens(hydra, second, client, "quinn", remember=True)
    finally:
        second.close()
    mismatch, _ = browser.start(client, id_token_hint=theirs["id_token"])
    assert mismatch.headers["location"].startswith(RP)
    assert query_of(mismatch)["error"] == "login_required"


def test_refresh_token_reuse_revokes_the_chain(hydra, browser):
    client = hydra.create_client()
    first = _tokens(hydra, browser, client, "rex")
    auth = (client["client_id"], client["client_secret"])
    url = hydra.public_url + "/oauth2/token"
    second = httpx.post(
        url,
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
        auth=auth,
    ).json()
    replay = httpx.post(
        url,
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
        auth=auth,
    )
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    with hydra.admin() as admin:
        info = admin.post("/admin/oauth2/introspect", data={"token": second["access_token"]})
    assert info.json() == {"active": False}


def test_refresh_token_of_other_client_is_refused(hydra, browser):
    client = hydra.create_client()
    thief = hydra.create_client()
    tokens = _tokens(hydra, browser, client, "sue")
    stolen = httpx.post(
        hydra.public_url + "/oauth2/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=(thief["client_id"], thief["client_secret"]),
    )
    assert stolen.status_code == 400
    assert stolen.json()["error"] == "invalid_grant"


def test_introspection_checks_requested_scope_and_knows_refresh_tokens(hydra, browser):
    client = hydra.create_client()
    tokens = _tokens(hydra, browser, client, "tia")
    with hydra.admin() as admin:
        ok = admin.post(
            "/admin/oauth2/introspect", data={"token": tokens["access_token"], "scope": "openid"}
        ).json()
        assert ok["active"] is True
        assert ok["token_use"] == "access_token"
        assert ok["iss"] == hydra.config.issuer
        wider = admin.post(
            "/admin/oauth2/introspect", data={"token": tokens["access_token"], "scope": "email"}
        )
        assert wider.json() == {"active": False}
        refresh = admin.post("/admin/oauth2/introspect", data={"token": tokens["refresh_token"]})
        assert refresh.json()["token_use"] == "refresh_token"
        empty = admin.post("/admin/oauth2/introspect", data={})
        assert empty.status_code == 400


def test_logout_without_hint_but_with_state_goes_to_error_url(hydra, browser):
    response = browser.http.get(
        hydra.public_url + "/oauth2/sessions/logout", params={"state": "abcdefgh"}
    )
    assert response.status_code == 302
    assert response.headers["location"].startswith(hydra.config.error_url)
    assert query_of(response)["error"] == "invalid_request"


def test_logout_without_session_goes_to_post_logout_url(hydra, browser):
    response = browser.http.get(hydra.public_url + "/oauth2/sessions/logout")
    assert response.headers["location"] == hydra.config.post_logout_redirect_url


def test_signing_key_and_clients_survive_restart_with_file_database(tmp_path, caplog):
    database = str(tmp_path / "hydra.sqlite")
    caplog.set_level(logging.WARNING, logger="devstack.hydra")

    def boot(**ttls):
        config = HydraConfig(database=database)
        for name, value in ttls.items():
            setattr(config.ttls, name, value)
        public_app, admin_app = create_apps(config)
        public, admin = start_asgi(public_app), start_asgi(admin_app)
        config.issuer = public.url + "/"
        return public_app.state.registry.store, public, admin

    def client_credentials(public, client):
        return httpx.post(
            public.url + "/oauth2/token",
            data={"grant_type": "client_credentials", "scope": "api"},
            auth=(client["client_id"], client["client_secret"]),
        )

    _, public, admin = boot(access_token=-1)  # tokens of this run are born expired
    try:
        jwks = httpx.get(public.url + "/.well-known/jwks.json").json()
        client = httpx.post(
            admin.url + "/admin/clients",
            json={"grant_types": ["client_credentials"], "scope": "api"},
        ).json()
        assert client_credentials(public, client).status_code == 200
    finally:
        public.stop()
        admin.stop()
    assert any("DEVELOPMENT stand-in" in r.getMessage() for r in caplog.records)

    store, public, admin = boot()
    try:
        assert store.find("token") == []  # the janitor dropped the expired token at start
        assert httpx.get(public.url + "/.well-known/jwks.json").json() == jwks
        assert client_credentials(public, client).status_code == 200
    finally:
        public.stop()
        admin.stop()


def test_id_token_verifies_against_jwks_after_refresh(hydra, browser):
    client = hydra.create_client()
    tokens = _tokens(hydra, browser, client, "uma")
    keys = KeySet.import_key_set(httpx.get(hydra.public_url + "/.well-known/jwks.json").json())
    claims = jwt.decode(tokens["id_token"], keys).claims
    assert claims["aud"] == [client["client_id"]]
    assert claims["iss"] == hydra.config.issuer


def test_cookie_names_are_hydras(hydra, browser):
    # Published MurmurHash3 x86_32 vectors (seed 0).
    assert murmur3_32(b"hello") == 0x248BFA47
    assert murmur3_32(b"The quick brown fox jumps over the lazy dog") == 0x2E4FF723
    client = hydra.create_client()
    start, _ = browser.start(client)
    suffix = str(murmur3_32(client["client_id"].encode()))
    assert f"ory_hydra_login_csrf_{suffix}" in start.headers["set-cookie"]
    to_consent = browser.login(start, "wes", remember=True)
    cookies = to_consent.headers.get_list("set-cookie")
    assert any(c.startswith("ory_hydra_session=") for c in cookies)
    assert any(c.startswith(f"ory_hydra_consent_csrf_{suffix}=") for c in cookies)
    assert all("HttpOnly" in c and "SameSite=lax" in c for c in cookies)


def test_code_is_redeemed_once_under_concurrency(hydra, browser):
    client = hydra.create_client()
    start, verifier = browser.start(client)
    code = query_of(browser.consent(browser.login(start, "xia")))["code"]
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": RP,
        "code_verifier": verifier,
    }

    def redeem(_):
        return httpx.post(
            hydra.public_url + "/oauth2/token",
            data=data,
            auth=(client["client_id"], client["client_secret"]),
        ).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(redeem, range(6)))
    assert statuses == [200, 400, 400, 400, 400, 400]


def test_expired_challenge_and_code_follow_the_configured_ttls(hydra, browser):
    client = hydra.create_client()
    start, verifier = browser.start(client)
    challenge = query_of(start)["login_challenge"]
    hydra.config.ttls.login_consent_request = -1  # read per request: everything is now expired
    with hydra.admin() as admin:
        expired = admin.get(f"{REQUESTS}/login", params={"login_challenge": challenge})
    assert expired.status_code == 401
    assert expired.json()["error"] == "request_unauthorized"
    assert "expired" in expired.json()["error_description"]

    hydra.config.ttls.login_consent_request = 1800
    hydra.config.ttls.auth_code = -1
    fresh, verifier = browser.start(client)
    code = query_of(browser.consent(browser.login(fresh, "yan")))["code"]
    late = httpx.post(
        hydra.public_url + "/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": RP,
            "code_verifier": verifier,
        },
        auth=(client["client_id"], client["client_secret"]),
    )
    assert late.status_code == 400
    assert late.json()["error"] == "invalid_grant"


def test_authorization_request_may_be_posted_as_a_form(hydra, browser):
    client = hydra.create_client(token_endpoint_auth_method="none")
    response = browser.http.post(
        hydra.public_url + "/oauth2/auth",
        data={
            "client_id": client["client_id"],
            "response_type": "code",
            "redirect_uri": RP,
            "scope": "openid",
            "state": "posted-state-1",
            "code_challenge": create_s256_code_challenge("v" * 43),
            "code_challenge_method": "S256",
        },
    )
    assert response.status_code == 302
    request = _login_request(hydra, response)
    assert "state=posted-state-1" in request["request_url"]


def test_in_memory_state_is_private_to_each_stand_in():
    first_public, _ = create_apps(HydraConfig())
    second_public, _ = create_apps(HydraConfig())
    servers = [start_asgi(first_public), start_asgi(second_public)]
    try:
        keys = [httpx.get(s.url + "/.well-known/jwks.json").json()["keys"][0] for s in servers]
    finally:
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda server: server.stop(), servers))
    assert keys[0]["kid"] != keys[1]["kid"]
    assert keys[0]["alg"] == "RS256"
    assert "d" not in keys[0]  # never the private part


def test_deleting_a_clients_access_tokens_keeps_its_refresh_tokens(hydra, browser):
    client = hydra.create_client()
    tokens = _tokens(hydra, browser, client, "ada")
    with hydra.admin() as admin:
        assert admin.delete("/admin/oauth2/tokens").status_code == 400
        deleted = admin.delete("/admin/oauth2/tokens", params={"client_id": client["client_id"]})
        assert deleted.status_code == 204
        access = admin.post("/admin/oauth2/introspect", data={"token": tokens["access_token"]})
        refresh = admin.post("/admin/oauth2/introspect", data={"token": tokens["refresh_token"]})
    assert access.json() == {"active": False}
    assert refresh.json()["active"] is True
