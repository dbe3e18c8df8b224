"""KratosPublic / AsyncKratosPublic: browser flows with the browser's cookies, whoami, logout."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from stackspin_clients.errors import Forbidden, Unauthorized
from werkzeug import Response

pytestmark = pytest.mark.anyio

BROWSER_COOKIE = "csrf_token_0a1b=abc; ory_kratos_session=MTc2"
CSRF_SET_COOKIE = (
    "csrf_token_0a1b2c=Zm9vYmFyYmF6; Path=/kratos/; Domain=localhost; Max-Age=31536000; "
    "HttpOnly; SameSite=Lax"
)


def _json_with_cookies(body: Any, *cookies: str, status: int = 200) -> Response:
    import json

    response = Response(json.dumps(body), status=status, content_type="application/json")
    for cookie in cookies:
        response.headers.add("Set-Cookie", cookie)
    return response


@pytest.mark.parametrize(
    ("kind", "sample"),
    [
        ("login", "LOGIN_FLOW"),
        ("registration", "REGISTRATION_FLOW"),
        ("recovery", "RECOVERY_FLOW"),
        ("verification", "VERIFICATION_FLOW"),
        ("settings", "SETTINGS_FLOW"),
    ],
)
async def test_create_browser_flow_forwards_cookie_and_returns_set_cookies(
    kratos_public: Any, httpserver: HTTPServer, wire: Any, kind: str, sample: str
) -> None:
    httpserver.expect_request(
        f"/self-service/{kind}/browser",
        method="GET",
        query_string={"return_to": "http://localhost:8080/auth/x"},
        headers={"Accept": "application/json", "Cookie": BROWSER_COOKIE},
    ).respond_with_response(_json_with_cookies(wire(sample), CSRF_SET_COOKIE, "other=1; Path=/"))

    result = await kratos_public(
        "create_browser_flow", kind, cookie=BROWSER_COOKIE, return_to="http://localhost:8080/auth/x"
    )

    assert result.flow.id == wire(sample)["id"]
    assert result.flow.ui.nodes[0].attributes["name"] == "csrf_token"
    assert result.set_cookies == [CSRF_SET_COOKIE, "other=1; Path=/"]


async def test_create_login_flow_with_refresh_and_aal(
    kratos_public: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request(
        "/self-service/login/browser", query_string={"refresh": "true", "aal": "aal2"}
    ).respond_with_json(dict(wire("LOGIN_FLOW"), refresh=True, requested_aal="aal2"))

    result = await kratos_public("create_browser_flow", "login", refresh=True, aal="aal2")

    assert result.flow.refresh is True
    assert result.flow.requested_aal == "aal2"
    assert result.set_cookies == []


async def test_create_browser_flow_rejects_unknown_kind(kratos_public: Any) -> None:
    with pytest.raises(ValueError, match="unknown flow kind"):
        await kratos_public("create_browser_flow", "logout")


async def test_get_flow_parses_ui_nodes_and_messages(
    kratos_public: Any, httpserver: HTTPServer, wire: Any
) -> None:
    flow = wire("RECOVERY_FLOW")
    httpserver.expect_request(
        "/self-service/recovery/flows",
        query_string={"id": flow["id"]},
        headers={"Cookie": BROWSER_COOKIE},
    ).respond_with_json(flow)

    result = await kratos_public("get_flow", "recovery", flow["id"], cookie=BROWSER_COOKIE)

    assert result.flow.state == "sent_email"
    assert result.flow.active == "code"
    assert result.flow.ui.messages[0].id == 1060003
    email = result.flow.ui.nodes[1]
    assert email.group == "code"
    assert email.label is not None
    assert email.label.text == "Email"


async def test_settings_flow_carries_identity_and_totp_nodes(
    kratos_public: Any, httpserver: HTTPServer, wire: Any
) -> None:
    flow = wire("SETTINGS_FLOW")
    httpserver.expect_request(
        "/self-service/settings/flows", query_string={"id": flow["id"]}
    ).respond_with_json(flow)

    result = await kratos_public("get_flow", "settings", flow["id"])

    assert result.flow.identity is not None
    assert result.flow.identity.traits["email"] == "ada@example.org"
    secret = next(n for n in result.flow.ui.nodes if n.attributes.get("id") == "totp_secret_key")
    assert secret.attributes["text"]["context"] == {"secret": "JBSWY3DPEHPK3PXP"}


async def test_whoami_by_cookie(kratos_public: Any, httpserver: HTTPServer, wire: Any) -> None:
    httpserver.expect_request(
        "/sessions/whoami", headers={"Cookie": BROWSER_COOKIE}
    ).respond_with_json(wire("SESSION"))

    session = await kratos_public("whoami", cookie=BROWSER_COOKIE)

    assert session.active is True
    assert session.authenticator_assurance_level == "aal1"
    assert session.identity is not None
    assert session.identity.id == "9f8e7d6c-5b4a-4321-8765-43210fedcba9"
    assert session.authentication_methods[0].method == "password"


async def test_whoami_by_session_token(
    kratos_public: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request(
        "/sessions/whoami", headers={"X-Session-Token": "ory_st_abc"}
    ).respond_with_json(wire("SESSION"))

    session = await kratos_public("whoami", session_token="ory_st_abc")

    assert session.id == "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
    assert "Cookie" not in httpserver.log[0][0].headers


async def test_whoami_without_session_is_unauthorized(
    kratos_public: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request("/sessions/whoami").respond_with_json(
        wire("KRATOS_UNAUTHORIZED"), status=401
    )

    with pytest.raises(Unauthorized) as caught:
        await kratos_public("whoami", cookie="")

    assert caught.value.status == 401
    assert caught.value.error_id == "session_inactive"


async def test_whoami_needing_second_factor_is_forbidden_with_redirect(
    kratos_public: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request("/sessions/whoami").respond_with_json(wire("KRATOS_AAL2"), status=403)

    with pytest.raises(Forbidden) as caught:
        await kratos_public("whoami", cookie=BROWSER_COOKIE)

    assert caught.value.error_id == "session_aal2_required"
    assert caught.value.redirect_browser_to == (
        "http://localhost:8080/kratos/self-service/login/browser?aal=aal2"
    )


async def test_create_browser_logout_flow(
    kratos_public: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request(
        "/self-service/logout/browser",
        query_string={"return_to": "http://localhost:8080/auth/logged-out"},
        headers={"Cookie": BROWSER_COOKIE},
    ).respond_with_json(wire("LOGOUT_FLOW"))

    logout = await kratos_public(
        "create_browser_logout_flow",
        cookie=BROWSER_COOKIE,
        return_to="http://localhost:8080/auth/logged-out",
    )

    assert logout.logout_token == "ory_lo_abc"
    assert logout.logout_url.endswith("token=ory_lo_abc")


async def test_get_flow_error(kratos_public: Any, httpserver: HTTPServer, wire: Any) -> None:
    error = wire("FLOW_ERROR")
    httpserver.expect_request(
        "/self-service/errors", query_string={"id": error["id"]}
    ).respond_with_json(error)

    result = await kratos_public("get_flow_error", error["id"])

    assert result.error == {
        "code": 500,
        "message": "no such file or directory",
        "status": "Internal Server Error",
    }


async def test_set_cookies_are_never_sent_on_later_calls(
    flavor: str, config: Any, httpserver: HTTPServer, wire: Any
) -> None:
    # One client object serves every browser: Kratos's cookies for one must not leak to the next.
    from stackspin_clients import AsyncKratosPublic, KratosPublic

    httpserver.expect_request("/self-service/login/browser").respond_with_response(
        _json_with_cookies(wire("LOGIN_FLOW"), "ory_kratos_session=someone-else; Path=/")
    )
    httpserver.expect_request("/sessions/whoami").respond_with_json(
        wire("KRATOS_UNAUTHORIZED"), status=401
    )

    if flavor == "sync":
        with KratosPublic(config) as client:
            client.create_browser_flow("login", cookie="a=1")
            with pytest.raises(Unauthorized):
                client.whoami()
    else:
        async with AsyncKratosPublic(config) as aclient:
            await aclient.create_browser_flow("login", cookie="a=1")
            with pytest.raises(Unauthorized):
                await aclient.whoami()

    assert [r.headers.get("Cookie") for r, _ in httpserver.log] == ["a=1", None]
