"""Password login through the browser flow, as a UI drives it."""

from __future__ import annotations

import httpx

from .conftest import UI, Kratos


def csrf_of(flow: dict) -> str:
    return next(
        n["attributes"]["value"]
        for n in flow["ui"]["nodes"]
        if n["attributes"].get("name") == "csrf_token"
    )


def start_login(browser: httpx.Client, **params: str) -> dict:
    r = browser.get("/self-service/login/browser", params=params)
    assert r.status_code == 303
    assert r.headers["location"].startswith(f"{UI}/auth/login?flow=")
    flow_id = r.headers["location"].split("flow=")[1]
    r = browser.get("/self-service/login/flows", params={"id": flow_id})
    assert r.status_code == 200, r.text
    return r.json()


def test_password_login_sets_session_cookie_and_redirects_to_default(kratos: Kratos) -> None:
    kratos.create_identity("ada@example.org")
    with kratos.browser() as browser:
        flow = start_login(browser)
        r = browser.post(
            flow["ui"]["action"],
            data={
                "csrf_token": csrf_of(flow),
                "identifier": "Ada@Example.org",
                "password": "correct horse battery",
                "method": "password",
            },
        )
        assert r.status_code == 303
        assert r.headers["location"] == f"{UI}/"
        assert "ory_kratos_session" in browser.cookies
        who = browser.get("/sessions/whoami")
        assert who.status_code == 200
        assert who.json()["identity"]["traits"]["email"] == "ada@example.org"


def test_wrong_password_returns_to_ui_with_message_4000006(kratos: Kratos) -> None:
    kratos.create_identity("bob@example.org")
    with kratos.browser() as browser:
        flow = start_login(browser)
        r = browser.post(
            flow["ui"]["action"],
            data={
                "csrf_token": csrf_of(flow),
                "identifier": "bob@example.org",
                "password": "nope",
                "method": "password",
            },
        )
        assert r.status_code == 303
        assert r.headers["location"] == f"{UI}/auth/login?flow={flow['id']}"
        again = browser.get("/self-service/login/flows", params={"id": flow["id"]}).json()
        assert [m["id"] for m in again["ui"]["messages"]] == [4000006]


def test_whoami_without_session_is_401(kratos: Kratos) -> None:
    with kratos.browser() as browser:
        r = browser.get("/sessions/whoami")
    assert r.status_code == 401
    # session/handler.go answers whoami with ErrNoSessionFound, which has no id
    assert "id" not in r.json()["error"]
    assert r.json()["error"]["reason"] == "No valid session credentials found in the request."
