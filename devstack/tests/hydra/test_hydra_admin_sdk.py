"""The admin API driven by the official ory-hydra-client SDK (a client nobody here wrote)."""

from __future__ import annotations

import httpx
import ory_hydra_client as sdk
import pytest
from ory_hydra_client import models
from ory_hydra_client.exceptions import ApiException

from .conftest import RP, query_of


def test_client_crud_with_official_sdk(hydra):
    api = hydra.sdk()
    created = api.create_o_auth2_client(
        models.OAuth2Client(
            client_name="Wiki",
            redirect_uris=[RP],
            grant_types=["authorization_code", "refresh_token"],
            post_logout_redirect_uris=["http://rp.test/bye"],
            metadata={"team": "a"},
        )
    )
    assert created.client_id
    assert created.client_secret  # returned once, at creation
    assert created.token_endpoint_auth_method == "client_secret_basic"
    assert created.scope == "offline_access offline openid"

    fetched = api.get_o_auth2_client(created.client_id)
    assert fetched.client_secret is None
    assert fetched.client_name == "Wiki"
    assert fetched.metadata == {"team": "a"}

    fetched.client_name = "Wiki 2"
    fetched.redirect_uris = [RP, "http://rp.test/other"]
    updated = api.set_o_auth2_client(created.client_id, fetched)
    assert updated.client_name == "Wiki 2"
    assert updated.client_secret is None  # PUT without a secret keeps the old one

    patched = api.patch_o_auth2_client(
        created.client_id,
        [
            models.JsonPatch(op="replace", path="/client_name", value="Wiki 3"),
            models.JsonPatch(op="add", path="/redirect_uris/-", value="http://rp.test/third"),
        ],
    )
    assert patched.client_name == "Wiki 3"
    assert patched.redirect_uris[-1] == "http://rp.test/third"

    api.delete_o_auth2_client(created.client_id)
    with pytest.raises(ApiException) as missing:
        api.get_o_auth2_client(created.client_id)
    assert missing.value.status == 404


def test_secret_survives_put_and_can_be_rotated(hydra):
    client = hydra.create_client()
    with hydra.admin() as admin:
        body = admin.get(f"/admin/clients/{client['client_id']}").json()
        admin.put(f"/admin/clients/{client['client_id']}", json=body).raise_for_status()
        ok = httpx.post(
            hydra.public_url + "/oauth2/token",
            data={"grant_type": "client_credentials"},
            auth=(client["client_id"], client["client_secret"]),
        )
        # The client may not use client_credentials, but it did authenticate.
        assert ok.json()["error"] == "unauthorized_client"
        rotated = admin.put(
            f"/admin/clients/{client['client_id']}", json={**body, "client_secret": "new-secret-1"}
        ).json()
        assert rotated["client_secret"] == "new-secret-1"
        old = httpx.post(
            hydra.public_url + "/oauth2/token",
            data={"grant_type": "client_credentials"},
            auth=(client["client_id"], client["client_secret"]),
        )
        assert old.status_code == 401


def test_list_clients_is_keyset_paginated_with_link_header(hydra):
    ids = sorted(hydra.create_client(client_name=f"c{i}")["client_id"] for i in range(5))
    seen = []
    token = None
    with hydra.admin() as admin:
        while True:
            params = {"page_size": 2}
            if token:
                params["page_token"] = token
            response = admin.get("/admin/clients", params=params)
            assert response.status_code == 200
            seen += [c["client_id"] for c in response.json()]
            links = response.links
            assert "first" in links
            if "next" not in links:
                break
            token = httpx.URL(links["next"]["url"]).params["page_token"]
        assert seen == ids
        named = admin.get("/admin/clients", params={"client_name": "c3", "page_size": 1})
        assert [c["client_name"] for c in named.json()] == ["c3"]
        assert "next" not in named.links  # the only match: no further page, however ids sort
    sdk_page = hydra.sdk().list_o_auth2_clients(page_size=3)
    assert [c.client_id for c in sdk_page] == ids[:3]


def test_login_consent_and_sessions_with_official_sdk(hydra, browser):
    api = hydra.sdk()
    client = hydra.create_client()
    start, _ = browser.start(client)
    login_challenge = query_of(start)["login_challenge"]
    login = api.get_o_auth2_login_request(login_challenge)
    assert login.skip is False
    assert login.client.client_id == client["client_id"]
    assert login.requested_scope == ["openid", "offline_access"]
    redirect = api.accept_o_auth2_login_request(
        login_challenge,
        models.AcceptOAuth2LoginRequest(subject="frank", remember=True, remember_for=0),
    )
    to_consent = browser.get(redirect.redirect_to)
    consent_challenge = query_of(to_consent)["consent_challenge"]
    consent = api.get_o_auth2_consent_request(consent_challenge)
    assert consent.subject == "frank"
    assert consent.login_session_id == login.session_id
    redirect = api.accept_o_auth2_consent_request(
        consent_challenge,
        models.AcceptOAuth2ConsentRequest(
            grant_scope=consent.requested_scope,
            remember=True,
            session=models.AcceptOAuth2ConsentRequestSession(id_token={"name": "Frank"}),
        ),
    )
    assert browser.get(redirect.redirect_to).headers["location"].startswith(RP)

    sessions = api.list_o_auth2_consent_sessions("frank")
    assert len(sessions) == 1
    assert sessions[0].consent_request.client.client_id == client["client_id"]
    assert sessions[0].session.id_token == {"name": "Frank"}

    api.revoke_o_auth2_consent_sessions(subject="frank", client=client["client_id"])
    assert api.list_o_auth2_consent_sessions("frank") == []

    # Revoking the login session makes the next login request a fresh one.
    api.revoke_o_auth2_login_sessions(subject="frank")
    again, _ = browser.start(client)
    assert api.get_o_auth2_login_request(query_of(again)["login_challenge"]).skip is False


def test_rp_initiated_logout_with_id_token_hint(hydra, browser):
    api = hydra.sdk()
    client = hydra.create_client(post_logout_redirect_uris=["http://rp.test/bye"])
    start, verifier = browser.start(client)
    back = browser.consent(browser.login(start, "gina", remember=True))
    token = httpx.post(
        hydra.public_url + "/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": query_of(back)["code"],
            "redirect_uri": RP,
            "code_verifier": verifier,
        },
        auth=(client["client_id"], client["client_secret"]),
    ).json()

    bad = browser.http.get(
        hydra.public_url + "/oauth2/sessions/logout",
        params={"id_token_hint": token["id_token"], "post_logout_redirect_uri": "http://evil/"},
    )
    assert bad.headers["location"].startswith(hydra.config.error_url)

    to_ui = browser.http.get(
        hydra.public_url + "/oauth2/sessions/logout",
        params={
            "id_token_hint": token["id_token"],
            "post_logout_redirect_uri": "http://rp.test/bye",
            "state": "logout-state",
        },
    )
    challenge = query_of(to_ui)["logout_challenge"]
    request = api.get_o_auth2_logout_request(challenge)
    assert request.subject == "gina"
    assert request.rp_initiated is True
    assert request.client.client_id == client["client_id"]
    redirect = api.accept_o_auth2_logout_request(challenge)
    done = browser.get(redirect.redirect_to)
    assert done.headers["location"] == "http://rp.test/bye?state=logout-state"

    with hydra.admin() as admin:
        gone = admin.get(
            "/admin/oauth2/auth/requests/logout", params={"logout_challenge": challenge}
        )
    assert gone.status_code == 410
    # The login session is over: the next login is not skipped.
    again, _ = browser.start(client)
    assert api.get_o_auth2_login_request(query_of(again)["login_challenge"]).skip is False


def test_logout_reject_answers_204_and_forgets_request(hydra, browser):
    client = hydra.create_client()
    start, _ = browser.start(client)
    browser.consent(browser.login(start, "hank", remember=True))
    to_ui = browser.http.get(hydra.public_url + "/oauth2/sessions/logout")
    challenge = query_of(to_ui)["logout_challenge"]
    with hydra.admin() as admin:
        rejected = admin.put(
            "/admin/oauth2/auth/requests/logout/reject", params={"logout_challenge": challenge}
        )
        assert rejected.status_code == 204
        assert (
            admin.get(
                "/admin/oauth2/auth/requests/logout", params={"logout_challenge": challenge}
            ).status_code
            == 404
        )


def test_health_and_version(hydra):
    for base in (hydra.public_url, hydra.admin_url):
        assert httpx.get(base + "/health/alive").json() == {"status": "ok"}
        assert httpx.get(base + "/health/ready").json() == {"status": "ok"}
    assert httpx.get(hydra.admin_url + "/version").json()["version"] == "v25.4.0"


def test_public_api_with_official_sdk(hydra, browser):
    client = hydra.create_client()
    public = sdk_client(hydra.public_url)
    keys = sdk.WellknownApi(public).discover_json_web_keys()
    assert keys.keys[0].alg == "RS256"
    discovery = sdk.OidcApi(public).discover_oidc_configuration()
    assert discovery.issuer == hydra.config.issuer

    # The SDK's token call has no code_verifier field: a confidential client without PKCE.
    start, _ = browser.start(client, code_challenge="", code_challenge_method="")
    code = query_of(browser.consent(browser.login(start, "zoe")))["code"]
    as_client = sdk_client(
        hydra.public_url, username=client["client_id"], password=client["client_secret"]
    )
    token = sdk.OAuth2Api(as_client).oauth2_token_exchange(
        grant_type="authorization_code", code=code, redirect_uri=RP
    )
    assert token.token_type == "bearer"
    assert token.id_token

    as_user = sdk_client(hydra.public_url, access_token=token.access_token)
    info = sdk.OidcApi(as_user).get_oidc_user_info()
    assert info.sub == "zoe"

    introspected = hydra.sdk().introspect_o_auth2_token(token.access_token)
    assert introspected.active is True
    assert introspected.client_id == client["client_id"]
    sdk.OAuth2Api(as_client).revoke_o_auth2_token(token.access_token)
    assert hydra.sdk().introspect_o_auth2_token(token.access_token).active is False


def sdk_client(host, **credentials):
    return sdk.ApiClient(sdk.Configuration(host=host, **credentials))
