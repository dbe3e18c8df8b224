"""Resetting a second factor the person really enrolled (TOTP and lookup secrets, through the
Kratos stand-in's settings flow like a browser) lets them in with the password alone."""

from __future__ import annotations

import httpx
import pyotp
from stackspin_clients.models import CreateIdentity

PASSWORD = "correct horse battery staple"


def _node(flow: dict, name: str) -> dict:
    return next(
        n
        for n in flow["ui"]["nodes"]
        if n["attributes"].get("name") == name or n["attributes"].get("id") == name
    )


def _csrf(flow: dict) -> str:
    return _node(flow, "csrf_token")["attributes"]["value"]


def _browser(ory) -> httpx.Client:
    """A browser on the Kratos public API asking for the JSON flavour of the browser flows."""
    return httpx.Client(
        base_url=ory.stack.kratos_public_url, headers={"Accept": "application/json"}, timeout=30
    )


def _log_in_with_password(browser: httpx.Client, address: str) -> httpx.Response:
    flow = browser.get("/self-service/login/browser").json()
    return browser.post(
        flow["ui"]["action"],
        json={
            "method": "password",
            "identifier": address,
            "password": PASSWORD,
            "csrf_token": _csrf(flow),
        },
    )


def _aal(browser: httpx.Client) -> str | None:
    who = browser.get("/sessions/whoami")
    if who.status_code == 403:
        assert who.json()["error"]["id"] == "session_aal2_required"
        return None
    assert who.status_code == 200, who.text
    return who.json()["authenticator_assurance_level"]


def _enrol_totp_and_lookup_secrets(browser: httpx.Client) -> None:
    flow = browser.get("/self-service/settings/browser").json()
    secret = _node(flow, "totp_secret_key")["attributes"]["text"]["text"]
    linked = browser.post(
        flow["ui"]["action"],
        json={"csrf_token": _csrf(flow), "method": "totp", "totp_code": pyotp.TOTP(secret).now()},
    )
    assert linked.status_code == 200, linked.text
    assert linked.json()["state"] == "success"

    flow = browser.get("/self-service/settings/browser").json()
    shown = browser.post(
        flow["ui"]["action"],
        json={
            "csrf_token": _csrf(flow),
            "method": "lookup_secret",
            "lookup_secret_regenerate": True,
        },
    )
    assert shown.status_code == 200, shown.text
    codes = _node(shown.json(), "lookup_secret_codes")["attributes"]["text"]["context"]["secrets"]
    assert len(codes) == 12
    confirmed = browser.post(
        flow["ui"]["action"],
        json={"csrf_token": _csrf(flow), "method": "lookup_secret", "lookup_secret_confirm": True},
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["state"] == "success"


def test_reset_second_factor_lets_the_person_in_with_the_password_alone(
    admin, ory, ory_clients, email
) -> None:
    address = email()
    identity = ory_clients.kratos.create_identity(
        CreateIdentity(
            traits={"email": address},
            credentials={"password": {"config": {"password": PASSWORD}}},
        )
    )
    with _browser(ory) as browser:
        assert _log_in_with_password(browser, address).status_code == 200
        _enrol_totp_and_lookup_secrets(browser)
        assert _aal(browser) == "aal2"
    enrolled = ory_clients.kratos.get_identity(identity.id, include_credential=["totp"])
    assert {"totp", "lookup_secret"} <= set(enrolled.credentials or {})

    # Before the reset the password alone is not enough: Kratos asks for the second factor.
    with _browser(ory) as browser:
        first = _log_in_with_password(browser, address)
        assert first.status_code == 422, first.text
        assert first.json()["redirect_browser_to"].endswith("/self-service/login/browser?aal=aal2")
        assert _aal(browser) is None

    reset = admin.client.post(f"/api/v1/users/{identity.id}/reset-second-factor")
    assert reset.status_code == 204, reset.text

    remaining = ory_clients.kratos.get_identity(identity.id).credentials or {}
    assert "totp" not in remaining
    assert "lookup_secret" not in remaining
    with _browser(ory) as browser:
        alone = _log_in_with_password(browser, address)
        assert alone.status_code == 200, alone.text
        assert _aal(browser) == "aal1"

    entries = admin.client.get(
        "/api/v1/audit", params={"action": "user.reset_second_factor", "target_id": identity.id}
    ).json()["items"]
    assert len(entries) == 1
    assert entries[0]["actor"] == f"user:{admin.subject}"
    assert sorted(entries[0]["summary"]["removed"]) == ["lookup_secret", "totp"]
