"""Bad input is refused the way Hydra refuses it: status, error code and where the user goes."""

from __future__ import annotations

import httpx
import pytest
from ory_hydra_client.exceptions import ApiException

from .conftest import RP, query_of

REQUESTS = "/admin/oauth2/auth/requests"


@pytest.mark.parametrize("kind", ["login", "consent", "logout"])
def test_unknown_challenge_is_404_in_hydra_error_shape(hydra, kind):
    with hydra.admin() as admin:
        response = admin.get(f"{REQUESTS}/{kind}", params={f"{kind}_challenge": "nope"})
        assert response.status_code == 404
        # a logout request is read by SQL (sqlcon.ErrNoRows), login/consent from the challenge
        assert response.json() == (
            {"error": "Unable to locate the resource", "error_description": ""}
            if kind == "logout"
            else {
                "error": "Not Found",
                "error_description": "Unable to locate the requested resource",
            }
        )
        accept = admin.put(
            f"{REQUESTS}/{kind}/accept", params={f"{kind}_challenge": "nope"}, json={"subject": "x"}
        )
        assert accept.status_code == 404


def test_missing_challenge_is_400(hydra):
    with hydra.admin() as admin:
        response = admin.get(f"{REQUESTS}/login")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_unknown_challenge_through_sdk_raises_404(hydra):
    with pytest.raises(ApiException) as raised:
        hydra.sdk().get_o_auth2_login_request("nope")
    assert raised.value.status == 404


def test_reused_challenges_read_and_answer_as_issued(hydra, browser):
    """Hydra v25 (and v2.3.0) challenges are the encrypted flow: a used one reads as issued and
    is answered again with a fresh verifier (200), until it expires."""
    client = hydra.create_client()
    start, _ = browser.start(client)
    login_challenge = query_of(start)["login_challenge"]
    to_consent = browser.login(start, "ivy")
    consent_challenge = query_of(to_consent)["consent_challenge"]
    browser.consent(to_consent)
    bodies = {"login": {"subject": "ivy"}, "consent": {"grant_scope": ["openid"]}}
    with hydra.admin() as admin:
        for kind, challenge in (("login", login_challenge), ("consent", consent_challenge)):
            params = {f"{kind}_challenge": challenge}
            got = admin.get(f"{REQUESTS}/{kind}", params=params)
            assert got.status_code == 200
            assert got.json()["request_url"].startswith(hydra.public_url + "/oauth2/auth?")
            assert got.json()["subject"] == ("" if kind == "login" else "ivy")
            for verb in ("accept", "reject"):
                again = admin.put(f"{REQUESTS}/{kind}/{verb}", params=params, json=bodies[kind])
                assert again.status_code == 200, again.text
                assert f"{kind}_verifier=" in again.json()["redirect_to"]


def test_a_login_verifier_replayed_asks_for_consent_again_and_a_consent_verifier_works_once(
    hydra, browser
):
    client = hydra.create_client()
    start, _ = browser.start(client)
    with hydra.admin() as admin:
        redirect = admin.put(
            f"{REQUESTS}/login/accept",
            params={"login_challenge": query_of(start)["login_challenge"]},
            json={"subject": "jack"},
        ).json()["redirect_to"]
    first = browser.get(redirect)
    assert first.headers["location"].startswith(hydra.config.consent_url)
    second = browser.get(redirect)
    assert second.headers["location"].startswith(hydra.config.consent_url)
    assert query_of(second)["consent_challenge"] != query_of(first)["consent_challenge"]
    with hydra.admin() as admin:
        to_app = admin.put(
            f"{REQUESTS}/consent/accept",
            params={"consent_challenge": query_of(second)["consent_challenge"]},
            json={"grant_scope": ["openid"]},
        ).json()["redirect_to"]
    assert "code=" in browser.get(to_app).headers["location"]
    replayed = browser.get(to_app)
    assert replayed.headers["location"].startswith(RP)
    assert query_of(replayed)["error"] == "access_denied"


def test_verifier_from_another_browser_fails_csrf(hydra, browser):
    client = hydra.create_client()
    start, _ = browser.start(client)
    with hydra.admin() as admin:
        redirect = admin.put(
            f"{REQUESTS}/login/accept",
            params={"login_challenge": query_of(start)["login_challenge"]},
            json={"subject": "kim"},
        ).json()["redirect_to"]
    stranger = httpx.get(redirect)
    assert query_of(stranger)["error"] == "request_forbidden"
    # The stranger's attempt does not burn the verifier for the real browser.
    assert browser.get(redirect).headers["location"].startswith(hydra.config.consent_url)


@pytest.mark.parametrize(
    ("path", "method"),
    [
        (f"{REQUESTS}/login/accept?login_challenge=x", "PUT"),
        (f"{REQUESTS}/consent/accept?consent_challenge=x", "PUT"),
        (f"{REQUESTS}/login/reject?login_challenge=x", "PUT"),
    ],
)
def test_malformed_json_is_400(hydra, path, method):
    with hydra.admin() as admin:
        response = admin.request(
            method, path, content=b"{not json", headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert "Unable to decode body" in response.json()["error_description"]


def test_malformed_client_json_is_400_in_herodot_wording(hydra):
    with hydra.admin() as admin:
        response = admin.post(
            "/admin/clients", content=b"[1,", headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 400
    assert response.json()["error"] == "The request was malformed or contained invalid parameters"
    assert response.json()["error_description"].startswith("Unable to decode the request body")


def test_accept_login_without_subject_is_400(hydra, browser):
    client = hydra.create_client()
    start, _ = browser.start(client)
    with hydra.admin() as admin:
        response = admin.put(
            f"{REQUESTS}/login/accept",
            params={"login_challenge": query_of(start)["login_challenge"]},
            json={},
        )
    assert response.status_code == 400
    assert "subject" in response.json()["error_description"]


def _code_for(hydra, browser, client, **params):
    start, verifier = browser.start(client, **params)
    back = browser.consent(browser.login(start, "lee"))
    return query_of(back)["code"], verifier


def _token(hydra, data, auth=None):
    return httpx.post(hydra.public_url + "/oauth2/token", data=data, auth=auth)


def test_wrong_pkce_verifier_is_invalid_grant(hydra, browser):
    client = hydra.create_client(token_endpoint_auth_method="none")
    code, _ = _code_for(hydra, browser, client)
    response = _token(
        hydra,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": RP,
            "client_id": client["client_id"],
            "code_verifier": "x" * 50,
        },
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_public_client_without_pkce_is_refused_once_consent_is_given(hydra, browser):
    # fosite checks PKCE with the response handlers, after login and consent (v2.3.0 and v25)
    client = hydra.create_client(token_endpoint_auth_method="none")
    start, _ = browser.start(client, code_challenge="", code_challenge_method="")
    assert "login_challenge" in query_of(start)
    back = browser.consent(browser.login(start))
    assert back.status_code == 303
    assert back.headers["location"].startswith(RP)
    query = query_of(back)
    assert query["error"] == "invalid_request"
    assert "code_challenge" in query["error_description"]
    assert "code" not in query


def test_plain_pkce_method_is_refused(hydra, browser):
    client = hydra.create_client()
    start, _ = browser.start(client, code_challenge_method="plain")
    back = browser.consent(browser.login(start))
    query = query_of(back)
    assert query["error"] == "invalid_request"
    assert "code" not in query


def test_wrong_client_secret_is_invalid_client_401(hydra, browser):
    client = hydra.create_client()
    code, verifier = _code_for(hydra, browser, client)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": RP,
        "code_verifier": verifier,
    }
    response = _token(hydra, data, auth=(client["client_id"], "wrong-secret"))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    # The code is still good for the real client (authentication failed before redemption).
    assert (
        _token(hydra, data, auth=(client["client_id"], client["client_secret"])).status_code == 200
    )


def test_auth_method_other_than_registered_is_invalid_client(hydra):
    client = hydra.create_client(grant_types=["client_credentials"])
    response = _token(
        hydra,
        {
            "grant_type": "client_credentials",
            "client_id": client["client_id"],
            "client_secret": client["client_secret"],
        },
    )
    assert response.status_code == 401
    assert "client_secret_post" in response.json()["error_description"]


def test_unregistered_redirect_uri_goes_to_error_url_not_to_client(hydra, browser):
    client = hydra.create_client()
    response, _ = browser.start(client, redirect_uri="http://evil.test/cb")
    assert response.headers["location"].startswith(hydra.config.error_url)
    assert query_of(response)["error"] == "invalid_request"


def test_unknown_client_goes_to_error_url(hydra, browser):
    response = browser.http.get(
        hydra.public_url + "/oauth2/auth",
        params={"client_id": "nobody", "response_type": "code", "state": "long-enough-state"},
    )
    assert response.headers["location"].startswith(hydra.config.error_url)
    assert query_of(response)["error"] == "invalid_client"


def test_redirect_uri_mismatch_at_token_is_invalid_grant(hydra, browser):
    client = hydra.create_client(redirect_uris=[RP, "http://rp.test/other"])
    code, verifier = _code_for(hydra, browser, client)
    response = _token(
        hydra,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://rp.test/other",
            "code_verifier": verifier,
        },
        auth=(client["client_id"], client["client_secret"]),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_code_replay_is_refused_and_revokes_tokens(hydra, browser):
    client = hydra.create_client()
    code, verifier = _code_for(hydra, browser, client)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": RP,
        "code_verifier": verifier,
    }
    auth = (client["client_id"], client["client_secret"])
    first = _token(hydra, data, auth).json()
    replay = _token(hydra, data, auth)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    with hydra.admin() as admin:
        info = admin.post("/admin/oauth2/introspect", data={"token": first["access_token"]})
    assert info.json() == {"active": False}


def test_short_state_and_unknown_scope_are_returned_to_client(hydra, browser):
    client = hydra.create_client()
    short, _ = browser.start(client, state="short")
    assert query_of(short)["error"] == "invalid_state"
    scope, _ = browser.start(client, scope="openid admin")
    assert query_of(scope)["error"] == "invalid_scope"


def test_refresh_without_offline_scope_is_not_issued(hydra, browser):
    client = hydra.create_client()
    code, verifier = _code_for(hydra, browser, client, scope="openid")
    token = _token(
        hydra,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": RP,
            "code_verifier": verifier,
        },
        auth=(client["client_id"], client["client_secret"]),
    ).json()
    assert "refresh_token" not in token


def test_userinfo_without_valid_token_is_401(hydra):
    response = httpx.get(hydra.public_url + "/userinfo", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.json()["error"] == "request_unauthorized"


def test_unknown_client_and_bad_patch(hydra):
    with hydra.admin() as admin:
        assert admin.get("/admin/clients/nope").status_code == 404
        assert admin.delete("/admin/clients/nope").status_code == 404
        client = hydra.create_client()
        # ory/x jsonx: a replace is an add that creates missing parents; the unknown member
        # is then dropped with the rest of the document's unknown fields.
        tolerated = admin.patch(
            f"/admin/clients/{client['client_id']}",
            json=[{"op": "replace", "path": "/missing/deep", "value": 1}],
        )
        assert tolerated.status_code == 200
        assert "missing" not in tolerated.json()
        assert tolerated.json()["client_name"] == client["client_name"]
        bad = admin.patch(
            f"/admin/clients/{client['client_id']}",
            json=[{"op": "replace", "path": "/token_endpoint_auth_method", "value": "bogus"}],
        )
        assert bad.status_code == 400
        assert bad.json()["error"] == "invalid_client_metadata"
        short = admin.post("/admin/clients", json={"client_secret": "abc"})
        assert short.status_code == 400
        assert short.json()["error"] == "invalid_client_metadata"
        dup = admin.post("/admin/clients", json={"client_id": client["client_id"]})
        assert dup.status_code == 409


def test_consent_revocation_needs_client_or_all(hydra):
    with hydra.admin() as admin:
        response = admin.delete("/admin/oauth2/auth/sessions/consent", params={"subject": "x"})
        assert response.status_code == 400
        assert admin.delete("/admin/oauth2/auth/sessions/login").status_code == 400
        assert admin.get("/admin/oauth2/auth/sessions/consent").status_code == 400


def test_wrongly_typed_or_empty_bodies_are_400(hydra, browser):
    client = hydra.create_client()
    start, _ = browser.start(client)
    params = {"login_challenge": query_of(start)["login_challenge"]}
    with hydra.admin() as admin:
        typed = admin.put(
            f"{REQUESTS}/login/accept", params=params, json={"subject": "x", "remember": "yes"}
        )
        assert typed.status_code == 400
        assert "remember" in typed.json()["error_description"]
        empty = admin.put(f"{REQUESTS}/login/accept", params=params)
        assert empty.status_code == 400
        assert empty.json()["error_description"].endswith("EOF")
        listed = admin.put(f"{REQUESTS}/login/reject", params=params, json=["no"])
        assert listed.status_code == 400
        # The request is untouched by the refused calls.
        assert admin.get(f"{REQUESTS}/login", params=params).status_code == 200


def test_revocation_errors_are_bare_and_foreign_tokens_are_ignored(hydra, browser):
    owner = hydra.create_client()
    other = hydra.create_client()
    code, verifier = _code_for(hydra, browser, owner)
    tokens = _token(
        hydra,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": RP,
            "code_verifier": verifier,
        },
        auth=(owner["client_id"], owner["client_secret"]),
    ).json()
    url = hydra.public_url + "/oauth2/revoke"
    empty = httpx.post(url, auth=(owner["client_id"], owner["client_secret"]))
    assert empty.status_code == 400
    assert empty.json()["error"] == "invalid_request"
    wrong = httpx.post(
        url, data={"token": tokens["access_token"]}, auth=(owner["client_id"], "nope")
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    foreign = httpx.post(
        url,
        data={"token": tokens["access_token"]},
        auth=(other["client_id"], other["client_secret"]),
    )
    assert foreign.status_code == 200
    with hydra.admin() as admin:
        info = admin.post("/admin/oauth2/introspect", data={"token": tokens["access_token"]})
    assert info.json()["active"] is True
