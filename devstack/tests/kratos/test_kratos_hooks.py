"""What follows a completed flow: verification mails, admin look-ups, session extension."""

from __future__ import annotations

from .conftest import Kratos, csrf_of, get_flow, last_code, login_with_password, start_flow

JSON = {"Accept": "application/json"}


def test_registration_mails_a_verification_code(kratos: Kratos) -> None:
    kratos.config.registration_enabled = True
    with kratos.browser() as browser:
        flow = browser.get("/self-service/registration/browser", headers=JSON).json()
        r = browser.post(
            flow["ui"]["action"],
            json={
                "csrf_token": csrf_of(flow),
                "method": "password",
                "traits": {"email": "fresh@example.org", "name": "Fresh"},
                "password": "long enough pw",
            },
            headers=JSON,
        )
        assert r.status_code == 200
        actions = [c["action"] for c in r.json()["continue_with"]]
        assert actions == ["show_verification_ui", "redirect_browser_to"]
        verification = r.json()["continue_with"][0]["flow"]
        shown = get_flow(browser, "verification", verification["id"])
        assert shown["state"] == "sent_email"
        done = browser.post(
            shown["ui"]["action"],
            data={
                "csrf_token": csrf_of(shown),
                "method": "code",
                "code": last_code(kratos, "fresh@example.org"),
            },
        )
        assert done.status_code == 303
    with kratos.browser() as browser:
        login_with_password(browser, "fresh@example.org", "long enough pw")
        who = browser.get("/sessions/whoami").json()
        assert who["identity"]["verifiable_addresses"][0]["verified"] is True


def test_changing_the_email_in_settings_asks_to_verify_it(kratos: Kratos) -> None:
    kratos.create_identity("old@example.org", "pw-123456")
    with kratos.browser() as browser:
        login_with_password(browser, "old@example.org", "pw-123456")
        flow = start_flow(browser, "settings")
        r = browser.post(
            flow["ui"]["action"],
            json={
                "csrf_token": csrf_of(flow),
                "method": "profile",
                "traits": {"email": "new@example.org", "name": "Moved"},
            },
            headers=JSON,
        )
        assert r.status_code == 200
        assert r.json()["state"] == "success"
        assert r.json()["continue_with"][0]["action"] == "show_verification_ui"
        assert last_code(kratos, "new@example.org")
        address = r.json()["identity"]["verifiable_addresses"][0]
        assert (address["value"], address["verified"], address["status"]) == (
            "new@example.org",
            False,
            "sent",
        )
    with kratos.browser() as browser:
        assert login_with_password(browser, "new@example.org", "pw-123456").status_code == 303
        assert browser.get("/sessions/whoami").status_code == 200


def test_identity_by_external_id_and_session_extend(kratos: Kratos) -> None:
    made = kratos.create_identity("ext@example.org", "pw-123456", external_id="legacy-42")
    with kratos.admin() as admin:
        found = admin.get("/admin/identities/by/external/legacy-42")
        assert found.status_code == 200
        assert found.json()["id"] == made["id"]
        assert admin.get("/admin/identities/by/external/nope").status_code == 404
    with kratos.browser() as browser:
        login_with_password(browser, "ext@example.org", "pw-123456")
        session = browser.get("/sessions/whoami").json()
    with kratos.admin() as admin:
        r = admin.patch(f"/admin/sessions/{session['id']}/extend")
        assert r.status_code == 200
        assert r.json()["expires_at"] >= session["expires_at"]


def test_webauthn_nodes_are_sent_when_asked_but_do_not_register(kratos: Kratos) -> None:
    from .conftest import node

    kratos.config.webauthn_nodes = True
    kratos.create_identity("key@example.org", "pw-123456")
    with kratos.browser() as browser:
        login_with_password(browser, "key@example.org", "pw-123456")
        flow = start_flow(browser, "settings")
        script = node(flow, "webauthn_script")
        assert script["type"] == "script"
        assert browser.get(script["attributes"]["src"]).status_code == 200
        trigger = node(flow, "webauthn_register_trigger")["attributes"]
        assert trigger["onclickTrigger"] == "oryWebAuthnRegistration"
        r = browser.post(
            flow["ui"]["action"],
            json={"csrf_token": csrf_of(flow), "method": "webauthn", "webauthn_register": "{}"},
            headers=JSON,
        )
        assert r.status_code == 400
        assert r.json()["ui"]["messages"][0]["id"] == 4000001
