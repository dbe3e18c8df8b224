"""Refusals as Kratos answers them: status codes, error ids, message ids."""

from __future__ import annotations

import pyotp

from .conftest import (
    UI,
    Kratos,
    csrf_of,
    flow_id_from,
    get_flow,
    last_code,
    login_with_password,
    node,
    start_flow,
)

JSON = {"Accept": "application/json"}
PASSWORD = "correct horse battery"


def json_login_flow(browser) -> dict:
    r = browser.get("/self-service/login/browser", headers=JSON)
    assert r.status_code == 200
    return r.json()


def test_malformed_json_is_400(kratos: Kratos) -> None:
    with kratos.admin() as admin:
        r = admin.post(
            "/admin/identities", content=b"{not json", headers={"Content-Type": "application/json"}
        )
        assert r.status_code == 400
        assert r.json()["error"]["code"] == 400
    with kratos.browser() as browser:
        flow = json_login_flow(browser)
        r = browser.post(
            flow["ui"]["action"],
            content=b'{"method": "password",',
            headers={"Content-Type": "application/json", **JSON},
        )
        assert r.status_code == 400


def test_wrong_csrf_token_is_403_for_json_and_error_page_for_browsers(kratos: Kratos) -> None:
    kratos.create_identity("c@example.org", PASSWORD)
    with kratos.browser() as browser:
        flow = json_login_flow(browser)
        body = {"method": "password", "identifier": "c@example.org", "password": PASSWORD}
        r = browser.post(
            flow["ui"]["action"], json={**body, "csrf_token": "d3JvbmcK"}, headers=JSON
        )
        assert r.status_code == 403
        assert r.json()["error"]["id"] == "security_csrf_violation"

        r = browser.post(flow["ui"]["action"], data={**body, "csrf_token": "d3JvbmcK"})
        assert r.status_code == 303
        assert r.headers["location"].startswith(f"{UI}/auth/error?id=")
        error_id = r.headers["location"].split("id=")[1]
        shown = browser.get("/self-service/errors", params={"id": error_id}).json()
        assert shown["error"]["id"] == "security_csrf_violation"
        assert shown["error"]["code"] == 403

    with kratos.browser() as other_browser:
        # another browser (no CSRF cookie) may not read the flow
        r = other_browser.get("/self-service/login/flows", params={"id": flow["id"]})
        assert r.status_code == 403
        assert r.json()["error"]["id"] == "security_csrf_violation"


def test_expired_flow_is_410_with_replacement(kratos: Kratos) -> None:
    kratos.config.flow_lifespan = 0
    with kratos.browser() as browser:
        flow = json_login_flow(browser)
        kratos.config.flow_lifespan = 600
        r = browser.post(
            flow["ui"]["action"],
            json={"method": "password", "csrf_token": csrf_of(flow)},
            headers=JSON,
        )
        assert r.status_code == 410
        assert r.json()["error"]["id"] == "self_service_flow_expired"
        new_id = r.json()["use_flow_id"]
        replacement = get_flow(browser, "login", new_id)
        assert [m["id"] for m in replacement["ui"]["messages"]] == [4010001]
        assert (
            browser.get("/self-service/login/flows", params={"id": flow["id"]}).status_code == 410
        )

        r = browser.post(flow["ui"]["action"], data={"csrf_token": csrf_of(flow)})
        assert r.status_code == 303
        assert r.headers["location"].startswith(f"{UI}/auth/login?flow=")
        assert flow_id_from(r.headers["location"]) != flow["id"]


def test_wrong_password_and_missing_fields_as_json(kratos: Kratos) -> None:
    kratos.create_identity("w@example.org", PASSWORD)
    with kratos.browser() as browser:
        flow = json_login_flow(browser)
        r = browser.post(
            flow["ui"]["action"],
            json={
                "method": "password",
                "csrf_token": csrf_of(flow),
                "identifier": "w@example.org",
                "password": "wrong",
            },
            headers=JSON,
        )
        assert r.status_code == 400
        assert [m["id"] for m in r.json()["ui"]["messages"]] == [4000006]
        assert node(r.json(), "identifier")["attributes"]["value"] == "w@example.org"

        r = browser.post(
            flow["ui"]["action"],
            json={"method": "password", "csrf_token": csrf_of(flow), "identifier": ""},
            headers=JSON,
        )
        assert r.status_code == 400
        assert [m["id"] for m in node(r.json(), "identifier")["messages"]] == [4000002]
        assert [m["id"] for m in node(r.json(), "password")["messages"]] == [4000002]


def test_inactive_identity_cannot_log_in(kratos: Kratos) -> None:
    kratos.create_identity("off@example.org", PASSWORD, state="inactive")
    with kratos.browser() as browser:
        flow = json_login_flow(browser)
        body = {"method": "password", "identifier": "off@example.org", "password": PASSWORD}
        r = browser.post(
            flow["ui"]["action"], json={**body, "csrf_token": csrf_of(flow)}, headers=JSON
        )
        assert r.status_code == 401
        assert r.json()["error"]["reason"] == "This account was disabled."
        r = login_with_password(browser, "off@example.org", PASSWORD)
        assert r.headers["location"].startswith(f"{UI}/auth/error?id=")
        assert "ory_kratos_session" not in browser.cookies


def test_return_to_foreign_origin_is_refused(kratos: Kratos) -> None:
    with kratos.browser() as browser:
        r = browser.get(
            "/self-service/login/browser", params={"return_to": "https://evil.test/"}, headers=JSON
        )
        assert r.status_code == 400
        assert r.json()["error"]["id"] == "self_service_flow_return_to_forbidden"
        r = browser.get("/self-service/login/browser", params={"return_to": "https://evil.test/"})
        assert r.status_code == 303
        assert r.headers["location"].startswith(f"{UI}/auth/error?id=")


def test_allowed_return_to_is_where_login_ends(kratos: Kratos) -> None:
    kratos.create_identity("rt@example.org", PASSWORD)
    with kratos.browser() as browser:
        flow = start_flow(browser, "login", return_to=f"{UI}/apps?x=1")
        assert flow["return_to"] == f"{UI}/apps?x=1"
        r = browser.post(
            flow["ui"]["action"],
            data={
                "csrf_token": csrf_of(flow),
                "method": "password",
                "identifier": "rt@example.org",
                "password": PASSWORD,
            },
        )
        assert r.headers["location"] == f"{UI}/apps?x=1"
        # signed in: a new login flow is not needed, the browser goes on
        again = browser.get("/self-service/login/browser")
        assert again.status_code == 303
        assert again.headers["location"] == f"{UI}/"
        r = browser.get("/self-service/login/browser", headers=JSON)
        assert r.status_code == 400
        assert r.json()["error"]["id"] == "session_already_available"


def test_refresh_login_asks_for_the_same_identity(kratos: Kratos) -> None:
    kratos.create_identity("re@example.org", PASSWORD)
    with kratos.browser() as browser:
        login_with_password(browser, "re@example.org", PASSWORD)
        flow = start_flow(browser, "login", refresh="true")
        assert flow["refresh"] is True
        assert [m["id"] for m in flow["ui"]["messages"]] == [1010003]
        ident = node(flow, "identifier")["attributes"]
        assert (ident["type"], ident["value"]) == ("hidden", "re@example.org")


def test_registration_is_off_by_default_and_works_when_enabled(kratos: Kratos) -> None:
    with kratos.browser() as browser:
        r = browser.get("/self-service/registration/browser", headers=JSON)
        assert r.status_code == 400
        assert r.json()["error"]["id"] == "self_service_flow_disabled"
        kratos.config.registration_enabled = True
        flow = start_flow(browser, "registration")
        r = browser.post(
            flow["ui"]["action"],
            data={
                "csrf_token": csrf_of(flow),
                "method": "password",
                "traits.email": "new@example.org",
                "traits.name": "New",
                "password": "long enough pw",
            },
        )
        assert r.status_code == 303
        # no `session` hook after registration (as deploy/ory/kratos.yml): signed out, but the
        # identity exists and its password works
        assert browser.get("/sessions/whoami").status_code == 401
    with kratos.browser() as browser:
        login_with_password(browser, "new@example.org", "long enough pw")
        assert browser.get("/sessions/whoami").json()["identity"]["traits"]["name"] == "New"


def test_registration_asks_for_the_profile_first_then_the_password(kratos: Kratos) -> None:
    kratos.config.registration_enabled = True
    with kratos.browser() as browser:
        flow = start_flow(browser, "registration")
        assert [n["attributes"]["name"] for n in flow["ui"]["nodes"]][-1] == "method"
        assert node(flow, "method")["attributes"]["value"] == "profile"
        assert not any(n["attributes"]["name"] == "password" for n in flow["ui"]["nodes"])
        body = {"csrf_token": csrf_of(flow), "traits.email": "two@example.org"}
        bad = browser.post(
            flow["ui"]["action"], data={**body, "traits.email": "nope"} | {"method": "profile"}
        )
        assert bad.status_code == 302  # registration/error.go: StatusFound
        flow = get_flow(browser, "registration", flow["id"])
        assert node(flow, "traits.email")["messages"]
        step = browser.post(flow["ui"]["action"], data={**body, "method": "profile"})
        assert step.status_code == 303
        flow = get_flow(browser, "registration", flow["id"])
        assert node(flow, "password")["attributes"]["type"] == "password"
        assert node(flow, "traits.email")["attributes"] == {
            **node(flow, "traits.email")["attributes"],
            "type": "hidden",
            "value": "two@example.org",
        }
        assert node(flow, "screen")["attributes"]["value"] == "previous"
        assert [m["id"] for m in flow["ui"]["messages"]] == [1040009]
        back = browser.post(flow["ui"]["action"], data={**body, "screen": "previous"})
        assert back.status_code == 303
        flow = get_flow(browser, "registration", flow["id"])
        assert node(flow, "method")["attributes"]["value"] == "profile"
        assert node(flow, "traits.email")["attributes"]["type"] == "email"


def test_settings_needs_session_and_privileged_session_for_password(kratos: Kratos) -> None:
    kratos.create_identity("p@example.org", PASSWORD)
    with kratos.browser() as browser:
        r = browser.get("/self-service/settings/browser", headers=JSON)
        assert r.status_code == 401
        r = browser.get("/self-service/settings/browser")
        # settings/handler.go: a browser without a session goes to the login flow's init URL
        assert r.headers["location"] == f"{kratos.public_url}/self-service/login/browser"

        login_with_password(browser, "p@example.org", PASSWORD)
        flow = start_flow(browser, "settings")
        kratos.config.privileged_session_max_age = 0
        r = browser.post(
            flow["ui"]["action"],
            json={"csrf_token": csrf_of(flow), "method": "password", "password": "new password!"},
            headers=JSON,
        )
        assert r.status_code == 403
        assert r.json()["error"]["id"] == "session_refresh_required"
        assert "refresh=true" in r.json()["redirect_browser_to"]
        r = browser.post(
            flow["ui"]["action"],
            data={
                "csrf_token": csrf_of(flow),
                "method": "profile",
                "traits.email": "p@example.org",
                "traits.name": "Still allowed",
            },
        )
        assert r.status_code == 303
        assert get_flow(browser, "settings", flow["id"])["identity"]["traits"]["name"] == (
            "Still allowed"
        )


def test_json_login_needing_aal2_answers_422(kratos: Kratos) -> None:
    kratos.create_identity("two@example.org", PASSWORD)
    with kratos.browser() as browser:
        login_with_password(browser, "two@example.org", PASSWORD)
        flow = start_flow(browser, "settings")
        secret = node(flow, "totp_secret_key")["attributes"]["text"]["text"]
        browser.post(
            flow["ui"]["action"],
            data={
                "csrf_token": csrf_of(flow),
                "method": "totp",
                "totp_code": pyotp.TOTP(secret).now(),
            },
        )
    with kratos.browser() as browser:
        flow = json_login_flow(browser)
        r = browser.post(
            flow["ui"]["action"],
            json={
                "method": "password",
                "csrf_token": csrf_of(flow),
                "identifier": "two@example.org",
                "password": PASSWORD,
            },
            headers=JSON,
        )
        assert r.status_code == 422
        assert r.json()["error"]["id"] == "browser_location_change_required"
        assert r.json()["redirect_browser_to"].endswith("/self-service/login/browser?aal=aal2")
        r = browser.get("/self-service/settings/browser", headers=JSON)
        assert r.status_code == 403
        assert r.json()["error"]["id"] == "session_aal2_required"


def test_recovery_as_json_ends_with_422_to_settings(kratos: Kratos) -> None:
    kratos.create_identity("rj@example.org")
    with kratos.browser() as browser:
        r = browser.get("/self-service/recovery/browser", headers=JSON)
        flow = r.json()
        r = browser.post(
            flow["ui"]["action"],
            json={"csrf_token": csrf_of(flow), "method": "code", "email": "rj@example.org"},
            headers=JSON,
        )
        assert r.status_code == 200
        assert r.json()["state"] == "sent_email"
        r = browser.post(
            flow["ui"]["action"],
            json={
                "csrf_token": csrf_of(flow),
                "method": "code",
                "code": last_code(kratos, "rj@example.org"),
            },
            headers=JSON,
        )
        assert r.status_code == 422
        assert r.json()["redirect_browser_to"].startswith(f"{UI}/auth/settings?flow=")
        assert browser.get("/sessions/whoami").status_code == 200


def test_admin_recovery_code_flow(kratos: Kratos) -> None:
    identity = kratos.create_identity("adm@example.org")
    with kratos.admin() as admin:
        made = admin.post("/admin/recovery/code", json={"identity_id": identity["id"]})
        assert made.status_code == 201
        made = made.json()
    # Straight to the recovery page (Kratos's UI URL), where the person types the code.
    assert made["recovery_link"].startswith(f"{UI}/auth/recovery?flow=")
    with kratos.browser() as browser:
        flow = get_flow(browser, "recovery", flow_id_from(made["recovery_link"]))
        assert flow["state"] == "sent_email"
        r = browser.post(
            flow["ui"]["action"], data={"method": "code", "code": made["recovery_code"]}
        )
        assert r.status_code == 303
        assert r.headers["location"].startswith(f"{UI}/auth/settings?flow=")
        settings = get_flow(browser, "settings", flow_id_from(r.headers["location"]))
        r = browser.post(
            settings["ui"]["action"],
            data={
                "csrf_token": csrf_of(settings),
                "method": "password",
                "password": "brand new pw",
            },
        )
        assert r.status_code == 303


def test_admin_recovery_link_is_404_while_the_link_method_is_off(kratos: Kratos) -> None:
    identity = kratos.create_identity("off@example.org")
    with kratos.admin() as admin:
        r = admin.post("/admin/recovery/link", json={"identity_id": identity["id"]})
    assert r.status_code == 404
    assert r.json()["error"]["reason"].startswith("This endpoint was disabled")


def test_admin_recovery_link_signs_in(kratos: Kratos) -> None:
    kratos.config.recovery_link_enabled = True  # off in deploy
    identity = kratos.create_identity("lnk@example.org")
    with kratos.admin() as admin:
        link = admin.post("/admin/recovery/link", json={"identity_id": identity["id"]}).json()
    with kratos.browser() as browser:
        r = browser.get(link["recovery_link"])
        assert r.status_code == 303
        assert r.headers["location"].startswith(f"{UI}/auth/settings?flow=")
        assert browser.get("/sessions/whoami").status_code == 200
        # a link works once
        with kratos.browser() as other:
            again = other.get(link["recovery_link"])
            assert "/auth/recovery?flow=" in again.headers["location"]


def test_unknown_flow_is_404(kratos: Kratos) -> None:
    with kratos.browser() as browser:
        r = browser.get(
            "/self-service/login/flows", params={"id": "00000000-0000-0000-0000-000000000000"}
        )
        assert r.status_code == 404


def test_settings_password_rules(kratos: Kratos) -> None:
    kratos.create_identity("rules@example.org", PASSWORD)
    with kratos.browser() as browser:
        login_with_password(browser, "rules@example.org", PASSWORD)
        flow = start_flow(browser, "settings")
        expected = {"short": 4000032, "rules@example.org": 4000031, PASSWORD: 4000039}
        for password, message_id in expected.items():
            r = browser.post(
                flow["ui"]["action"],
                json={"csrf_token": csrf_of(flow), "method": "password", "password": password},
                headers=JSON,
            )
            assert r.status_code == 400
            assert [m["id"] for m in node(r.json(), "password")["messages"]] == [message_id]


def test_password_similar_to_the_email_is_refused_at_registration(kratos: Kratos) -> None:
    kratos.config.registration_enabled = True
    with kratos.browser() as browser:
        flow = browser.get("/self-service/registration/browser", headers=JSON).json()
        r = browser.post(
            flow["ui"]["action"],
            json={
                "csrf_token": csrf_of(flow),
                "method": "password",
                "traits": {"email": "grace.hopper@example.org"},
                "password": "grace.hopper1",
            },
            headers=JSON,
        )
        assert r.status_code == 400
        assert [m["id"] for m in node(r.json(), "password")["messages"]] == [4000031]
        assert node(r.json(), "traits.email")["attributes"]["value"] == "grace.hopper@example.org"


def test_wrong_recovery_codes_then_too_many(kratos: Kratos) -> None:
    kratos.create_identity("brute@example.org")
    with kratos.browser() as browser:
        flow = browser.get("/self-service/recovery/browser", headers=JSON).json()
        body = {"csrf_token": csrf_of(flow), "method": "code"}
        browser.post(
            flow["ui"]["action"], json={**body, "email": "brute@example.org"}, headers=JSON
        )
        for _ in range(5):
            r = browser.post(flow["ui"]["action"], json={**body, "code": "000000"}, headers=JSON)
            # as Kratos: the flow with its message, status 200
            assert r.status_code == 200
            assert [m["id"] for m in r.json()["ui"]["messages"]] == [4060006]
        r = browser.post(
            flow["ui"]["action"],
            json={**body, "code": last_code(kratos, "brute@example.org")},
            headers=JSON,
        )
        assert r.status_code == 303
        assert "/self-service/recovery/flows?id=" in r.headers["location"]
        fresh = browser.get(r.headers["location"]).json()
        assert fresh["id"] != flow["id"]
        assert fresh["state"] == "choose_method"
        assert fresh["ui"]["messages"][0]["id"] == 4000001


def test_too_many_verification_codes_replace_the_flow(kratos: Kratos) -> None:
    kratos.create_identity("vbrute@example.org")
    with kratos.browser() as browser:
        flow = browser.get("/self-service/verification/browser", headers=JSON).json()
        body = {"csrf_token": csrf_of(flow), "method": "code"}
        browser.post(
            flow["ui"]["action"], json={**body, "email": "vbrute@example.org"}, headers=JSON
        )
        for _ in range(5):
            r = browser.post(flow["ui"]["action"], json={**body, "code": "000000"}, headers=JSON)
            assert r.status_code == 200
            assert [m["id"] for m in r.json()["ui"]["messages"]] == [4070006]
        r = browser.post(flow["ui"]["action"], json={**body, "code": "000000"}, headers=JSON)
        assert r.status_code == 410
        assert r.json()["error"]["id"] == "self_service_flow_replaced"
        assert get_flow(browser, "verification", r.json()["use_flow_id"])["state"] == (
            "choose_method"
        )


def test_relative_return_to_takes_the_default_origin(kratos: Kratos) -> None:
    with kratos.browser() as browser:
        flow = start_flow(browser, "login", return_to="/apps")
        assert flow["return_to"] == f"{UI}/apps"
