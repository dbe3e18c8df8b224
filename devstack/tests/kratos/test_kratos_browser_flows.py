"""Whole browser journeys, as a person would click through a UI (cookie jar, 303s)."""

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

PASSWORD = "correct horse battery"


def enrol_totp(kratos: Kratos, browser) -> str:
    flow = start_flow(browser, "settings")
    secret = node(flow, "totp_secret_key")["attributes"]["text"]["text"]
    qr = node(flow, "totp_qr")["attributes"]["src"]
    assert qr.startswith("data:image/png;base64,")
    r = browser.post(
        flow["ui"]["action"],
        data={
            "csrf_token": csrf_of(flow),
            "method": "totp",
            "totp_code": pyotp.TOTP(secret).now(),
        },
    )
    assert r.status_code == 303
    assert r.headers["location"] == f"{UI}/auth/settings?flow={flow['id']}"
    done = get_flow(browser, "settings", flow["id"])
    assert done["state"] == "success"
    assert [m["id"] for m in done["ui"]["messages"]] == [1050001]
    return secret


def test_totp_enrolment_then_login_needs_second_factor(kratos: Kratos) -> None:
    kratos.create_identity("tina@example.org", PASSWORD)
    with kratos.browser() as browser:
        assert login_with_password(browser, "tina@example.org", PASSWORD).status_code == 303
        secret = enrol_totp(kratos, browser)
        assert browser.get("/sessions/whoami").json()["authenticator_assurance_level"] == "aal2"

    with kratos.browser() as browser:
        r = login_with_password(browser, "tina@example.org", PASSWORD)
        # first factor done: Kratos sends the browser to an AAL2 login flow
        assert r.status_code == 303
        assert "/self-service/login/browser?aal=aal2" in r.headers["location"]
        who = browser.get("/sessions/whoami")
        assert who.status_code == 403
        assert who.json()["error"]["id"] == "session_aal2_required"
        assert who.json()["redirect_browser_to"].endswith("/self-service/login/browser?aal=aal2")

        flow = start_flow(browser, "login", aal="aal2")
        assert flow["requested_aal"] == "aal2"
        assert [m["id"] for m in flow["ui"]["messages"]] == [1010004]
        bad = browser.post(
            flow["ui"]["action"],
            data={"csrf_token": csrf_of(flow), "method": "totp", "totp_code": "000000"},
        )
        assert bad.status_code == 303
        again = get_flow(browser, "login", flow["id"])
        assert [m["id"] for m in node(again, "totp_code")["messages"]] == [4000008]
        ok = browser.post(
            flow["ui"]["action"],
            data={
                "csrf_token": csrf_of(flow),
                "method": "totp",
                "totp_code": pyotp.TOTP(secret).now(),
            },
        )
        assert ok.status_code == 303
        assert ok.headers["location"] == f"{UI}/"
        who = browser.get("/sessions/whoami").json()
        assert who["authenticator_assurance_level"] == "aal2"
        assert [m["method"] for m in who["authentication_methods"]] == ["password", "totp"]


def test_lookup_secrets_regenerate_confirm_then_login_with_one(kratos: Kratos) -> None:
    kratos.create_identity("luke@example.org", PASSWORD)
    with kratos.browser() as browser:
        login_with_password(browser, "luke@example.org", PASSWORD)
        flow = start_flow(browser, "settings")
        r = browser.post(
            flow["ui"]["action"],
            data={"csrf_token": csrf_of(flow), "lookup_secret_regenerate": "true"},
        )
        assert r.status_code == 303
        shown = get_flow(browser, "settings", flow["id"])
        codes_node = node(shown, "lookup_secret_codes")
        codes = [m["text"] for m in codes_node["attributes"]["text"]["context"]["secrets"]]
        assert len(codes) == 12
        r = browser.post(
            flow["ui"]["action"],
            data={"csrf_token": csrf_of(flow), "lookup_secret_confirm": "true"},
        )
        assert r.status_code == 303
        assert get_flow(browser, "settings", flow["id"])["state"] == "success"

    with kratos.browser() as browser:
        r = login_with_password(browser, "luke@example.org", PASSWORD)
        assert "aal=aal2" in r.headers["location"]
        flow = start_flow(browser, "login", aal="aal2")
        used = {"csrf_token": csrf_of(flow), "method": "lookup_secret", "lookup_secret": codes[0]}
        assert browser.post(flow["ui"]["action"], data=used).headers["location"] == f"{UI}/"
        assert browser.get("/sessions/whoami").json()["authenticator_assurance_level"] == "aal2"

    with kratos.browser() as browser:
        login_with_password(browser, "luke@example.org", PASSWORD)
        flow = start_flow(browser, "login", aal="aal2")
        browser.post(flow["ui"]["action"], data={**used, "csrf_token": csrf_of(flow)})
        again = get_flow(browser, "login", flow["id"])
        assert [m["id"] for m in node(again, "lookup_secret")["messages"]] == [4000012]


def test_recovery_by_code_then_new_password(kratos: Kratos) -> None:
    kratos.create_identity("rita@example.org", "forgotten password")
    with kratos.browser() as browser:
        flow = start_flow(browser, "recovery")
        r = browser.post(
            flow["ui"]["action"],
            data={"csrf_token": csrf_of(flow), "email": "rita@example.org", "method": "code"},
        )
        assert r.status_code == 303
        sent = get_flow(browser, "recovery", flow["id"])
        assert sent["state"] == "sent_email"
        assert [m["id"] for m in sent["ui"]["messages"]] == [1060003]

        wrong = browser.post(
            flow["ui"]["action"],
            data={"csrf_token": csrf_of(sent), "code": "000000", "method": "code"},
        )
        assert wrong.status_code == 303
        assert [m["id"] for m in get_flow(browser, "recovery", flow["id"])["ui"]["messages"]] == [
            4060006
        ]

        code = last_code(kratos, "rita@example.org")
        r = browser.post(
            flow["ui"]["action"],
            data={"csrf_token": csrf_of(sent), "code": code, "method": "code"},
        )
        assert r.status_code == 303
        assert r.headers["location"].startswith(f"{UI}/auth/settings?flow=")
        settings = get_flow(browser, "settings", flow_id_from(r.headers["location"]))
        assert [m["id"] for m in settings["ui"]["messages"]] == [1060001]
        r = browser.post(
            settings["ui"]["action"],
            data={"csrf_token": csrf_of(settings), "method": "password", "password": "a new one!"},
        )
        assert r.status_code == 303
        assert get_flow(browser, "settings", settings["id"])["state"] == "success"

    with kratos.browser() as browser:
        r = login_with_password(browser, "rita@example.org", "a new one!")
        assert r.headers["location"] == f"{UI}/"


def test_verification_by_code_marks_address_verified(kratos: Kratos) -> None:
    identity = kratos.create_identity("vera@example.org")
    assert identity["verifiable_addresses"][0]["verified"] is False
    with kratos.browser() as browser:
        flow = start_flow(browser, "verification")
        browser.post(
            flow["ui"]["action"],
            data={"csrf_token": csrf_of(flow), "email": "vera@example.org", "method": "code"},
        )
        sent = get_flow(browser, "verification", flow["id"])
        assert [m["id"] for m in sent["ui"]["messages"]] == [1080003]
        r = browser.post(
            flow["ui"]["action"],
            data={
                "csrf_token": csrf_of(sent),
                "code": last_code(kratos, "vera@example.org"),
                "method": "code",
            },
        )
        assert r.status_code == 303
        done = get_flow(browser, "verification", flow["id"])
        assert done["state"] == "passed_challenge"
        assert [m["id"] for m in done["ui"]["messages"]] == [1080002]
        assert node(done, "continue")["attributes"]["href"] == f"{UI}/"
    with kratos.admin() as admin:
        got = admin.get(f"/admin/identities/{identity['id']}").json()
    assert got["verifiable_addresses"][0]["verified"] is True
    assert got["verifiable_addresses"][0]["status"] == "completed"


def test_logout_ends_session_and_redirects(kratos: Kratos) -> None:
    kratos.create_identity("leo@example.org", PASSWORD)
    with kratos.browser() as browser:
        login_with_password(browser, "leo@example.org", PASSWORD)
        r = browser.get("/self-service/logout/browser", params={"return_to": f"{UI}/bye"})
        assert r.status_code == 200
        logout = r.json()
        assert logout["logout_url"].startswith(kratos.public_url + "/self-service/logout?token=")
        r = browser.get(logout["logout_url"])
        assert r.status_code == 303
        assert r.headers["location"] == f"{UI}/bye"
        assert browser.get("/sessions/whoami").status_code == 401


def test_recovery_does_not_skip_the_second_factor(kratos: Kratos) -> None:
    kratos.create_identity("mfa@example.org", PASSWORD)
    with kratos.browser() as browser:
        login_with_password(browser, "mfa@example.org", PASSWORD)
        secret = enrol_totp(kratos, browser)
    with kratos.browser() as browser:
        flow = start_flow(browser, "recovery")
        browser.post(
            flow["ui"]["action"],
            data={"csrf_token": csrf_of(flow), "email": "mfa@example.org", "method": "code"},
        )
        r = browser.post(
            flow["ui"]["action"],
            data={
                "csrf_token": csrf_of(flow),
                "code": last_code(kratos, "mfa@example.org"),
                "method": "code",
            },
        )
        settings_id = flow_id_from(r.headers["location"])
        blocked = browser.get("/self-service/settings/flows", params={"id": settings_id})
        assert blocked.status_code == 403
        assert blocked.json()["error"]["id"] == "session_aal2_required"
        target = blocked.json()["redirect_browser_to"]
        assert "aal=aal2" in target

        r = browser.get(target)
        assert r.status_code == 303
        login_flow = get_flow(browser, "login", flow_id_from(r.headers["location"]))
        r = browser.post(
            login_flow["ui"]["action"],
            data={
                "csrf_token": csrf_of(login_flow),
                "method": "totp",
                "totp_code": pyotp.TOTP(secret).now(),
            },
        )
        assert r.headers["location"] == f"{UI}/auth/settings?flow={settings_id}"
        settings = get_flow(browser, "settings", settings_id)
        r = browser.post(
            settings["ui"]["action"],
            data={"csrf_token": csrf_of(settings), "method": "password", "password": "new pw 123"},
        )
        assert r.status_code == 303
        assert get_flow(browser, "settings", settings_id)["state"] == "success"


def test_logout_without_return_to_goes_to_the_logout_return_url(kratos: Kratos) -> None:
    kratos.config.logout_return_url = f"{UI}/auth/logged-out"
    kratos.create_identity("out@example.org", PASSWORD)
    with kratos.browser() as browser:
        login_with_password(browser, "out@example.org", PASSWORD)
        logout = browser.get("/self-service/logout/browser").json()
        r = browser.get(logout["logout_url"])
        assert r.headers["location"] == f"{UI}/auth/logged-out"
        again = browser.get(logout["logout_url"])
        assert again.headers["location"].startswith(f"{UI}/auth/error?id=")
