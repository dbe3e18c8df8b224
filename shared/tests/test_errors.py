"""Failures become the right typed exception, keeping the fields a caller needs."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from stackspin_clients import (
    AsyncHydraAdmin,
    AsyncKratosAdmin,
    HydraAdmin,
    KratosAdmin,
)
from stackspin_clients.errors import (
    BrowserLocationChangeRequired,
    Conflict,
    Forbidden,
    Gone,
    NotFound,
    OryError,
    ServiceUnavailable,
    ValidationFailed,
)
from stackspin_clients.models import CreateIdentity
from werkzeug import Request, Response

pytestmark = pytest.mark.anyio

LOGIN_FLOW_ID = "7c3b7d0a-52c8-4d5e-a2c3-0d8e5f1b6a9c"
BROWSER_COOKIE = "csrf_token_0a1b=abc"


async def test_used_login_challenge_is_gone_with_redirect_to(
    hydra: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request("/admin/oauth2/auth/requests/login").respond_with_json(
        wire("HYDRA_GONE"), status=410
    )

    with pytest.raises(Gone) as caught:
        await hydra("get_login_request", "used-challenge")

    assert caught.value.status == 410
    assert caught.value.redirect_to == wire("HYDRA_GONE")["redirect_to"]
    assert caught.value.body == wire("HYDRA_GONE")


async def test_expired_kratos_flow_is_gone_with_replacement_flow_id(
    kratos_public: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request("/self-service/login/flows").respond_with_json(
        wire("KRATOS_FLOW_EXPIRED"), status=410
    )

    with pytest.raises(Gone) as caught:
        await kratos_public("get_flow", "login", LOGIN_FLOW_ID)

    assert caught.value.error_id == "self_service_flow_expired"
    assert caught.value.use_flow_id == "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
    assert caught.value.redirect_to is None


async def test_400_flow_body_becomes_validation_failed_with_the_flow(
    kratos_public: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request(
        "/self-service/login", method="POST", query_string={"flow": LOGIN_FLOW_ID}
    ).respond_with_json(wire("LOGIN_FLOW_INVALID"), status=400)

    with pytest.raises(ValidationFailed) as caught:
        await kratos_public(
            "submit_flow",
            "login",
            LOGIN_FLOW_ID,
            {"method": "password", "identifier": "ada@example.org", "password": "wrong"},
            cookie=BROWSER_COOKIE,
        )

    flow = caught.value.flow
    assert flow is not None
    assert flow.id == LOGIN_FLOW_ID
    assert [m.id for m in flow.ui.messages] == [4000006]
    assert "credentials are invalid" in caught.value.message
    assert caught.value.error_id is None


async def test_400_generic_error_has_no_flow(
    kratos_public: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request("/self-service/login/browser").respond_with_json(
        wire("KRATOS_SESSION_ALREADY"), status=400
    )

    with pytest.raises(ValidationFailed) as caught:
        await kratos_public("create_browser_flow", "login", cookie=BROWSER_COOKIE)

    assert caught.value.flow is None
    assert caught.value.error_id == "session_already_available"


async def test_hydra_400_keeps_oauth_error_and_description(
    hydra: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request("/admin/oauth2/auth/requests/login/accept").respond_with_json(
        wire("HYDRA_BAD_REQUEST"), status=400
    )

    with pytest.raises(ValidationFailed) as caught:
        await hydra("accept_login_request", "ch", _accept_login())

    assert caught.value.error_id == "invalid_request"
    assert "does not match the subject" in caught.value.message
    assert caught.value.flow is None


def _accept_login() -> Any:
    from stackspin_clients.models import AcceptLogin

    return AcceptLogin(subject="someone-else")


async def test_422_becomes_browser_location_change_required(
    kratos_public: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request("/self-service/settings", method="POST").respond_with_json(
        wire("KRATOS_BROWSER_LOCATION"), status=422
    )

    with pytest.raises(BrowserLocationChangeRequired) as caught:
        await kratos_public("submit_flow", "settings", "2a3b", {"method": "profile"})

    assert caught.value.status == 422
    assert caught.value.error_id == "browser_location_change_required"
    assert caught.value.redirect_browser_to == "http://localhost:8080/auth/settings?flow=2a3b"


async def test_403_csrf_violation_becomes_forbidden(
    kratos_public: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request("/self-service/login", method="POST").respond_with_json(
        wire("KRATOS_CSRF"), status=403
    )

    with pytest.raises(Forbidden) as caught:
        await kratos_public("submit_flow", "login", LOGIN_FLOW_ID, {"method": "password"})

    assert caught.value.error_id == "security_csrf_violation"
    assert caught.value.redirect_browser_to is None
    assert "Cross-Site-Request-Forgery" in caught.value.message
    assert caught.value.body["error"]["details"]["docs"].endswith("/csrf")


async def test_kratos_404_and_409(kratos_admin: Any, httpserver: HTTPServer, wire: Any) -> None:
    httpserver.expect_request("/admin/identities/nobody").respond_with_json(
        wire("KRATOS_NOT_FOUND"), status=404
    )
    httpserver.expect_request("/admin/identities", method="POST").respond_with_json(
        wire("KRATOS_CONFLICT"), status=409
    )

    with pytest.raises(NotFound) as missing:
        await kratos_admin("get_identity", "nobody")
    with pytest.raises(Conflict) as taken:
        await kratos_admin("create_identity", CreateIdentity(traits={"email": "a@b"}))

    assert missing.value.status == 404
    assert missing.value.message.endswith("Unable to locate the resource")
    assert taken.value.error_id is None  # Kratos sends an empty id here
    assert "conflicts with another identity" in taken.value.message


async def test_hydra_404_keeps_error_as_error_id(
    hydra: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request("/admin/clients/nope").respond_with_json(
        wire("HYDRA_NOT_FOUND"), status=404
    )

    with pytest.raises(NotFound) as caught:
        await hydra("get_oauth2_client", "nope")

    assert caught.value.error_id == "Not Found"
    assert "Unable to locate the resource" in str(caught.value)


def _refused_url() -> str:
    # A port that was just free: nothing listens there, so connecting is refused.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def test_connection_refused_is_service_unavailable(caller: Any, make_config: Any) -> None:
    hydra = caller(HydraAdmin, AsyncHydraAdmin, make_config(_refused_url(), max_retries=1))

    with pytest.raises(ServiceUnavailable) as caught:
        await hydra("get_login_request", "x")

    assert caught.value.status is None
    assert caught.value.body is None
    assert "connection failed" in caught.value.message
    # The network error is kept as the cause (a traceback shows what failed underneath).
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


async def test_read_timeout_is_service_unavailable(
    caller: Any, make_config: Any, httpserver: HTTPServer
) -> None:
    answer = threading.Event()

    def slow(request: Request) -> Response:
        answer.wait(30)
        return Response("[]", content_type="application/json")

    httpserver.expect_request("/admin/identities").respond_with_handler(slow)
    config = make_config(httpserver.url_for("/"), read_timeout=0.1, max_retries=0)
    kratos_admin = caller(KratosAdmin, AsyncKratosAdmin, config)

    started = time.monotonic()
    try:
        with pytest.raises(ServiceUnavailable) as caught:
            await kratos_admin("list_identities")
        elapsed = time.monotonic() - started
    finally:
        answer.set()  # the server's thread ends now, not in 30 s

    # Cut off by the 0.1 s read timeout, not waited out (the answer would take 30 s).
    assert elapsed < 5, elapsed
    assert "timed out" in caught.value.message
    assert caught.value.status is None


async def test_non_json_502_from_proxy_keeps_status_and_snippet(
    kratos_admin: Any, httpserver: HTTPServer
) -> None:
    page = "<html><head><title>502 Bad Gateway</title></head><body>nginx/1.24.0</body></html>"
    httpserver.expect_request("/admin/identities/x").respond_with_data(
        page, status=502, content_type="text/html"
    )

    with pytest.raises(ServiceUnavailable) as caught:
        await kratos_admin("get_identity", "x")

    assert caught.value.status == 502
    assert caught.value.body == page
    assert "502 Bad Gateway" in caught.value.message
    assert caught.value.error_id is None


async def test_long_html_error_page_is_cut_to_a_snippet(hydra: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/admin/clients", method="POST").respond_with_data(
        "<html>" + "x" * 5000 + "</html>", status=503, content_type="text/html"
    )

    with pytest.raises(ServiceUnavailable) as caught:
        await hydra("create_oauth2_client", _client())

    assert caught.value.status == 503
    assert len(caught.value.body) == 500
    assert len(caught.value.message) < 300


def _client() -> Any:
    from stackspin_clients.models import OAuth2Client

    return OAuth2Client(client_name="x")


async def test_json_500_is_service_unavailable_with_reason(
    kratos_public: Any, httpserver: HTTPServer
) -> None:
    body = {"error": {"code": 500, "status": "Internal Server Error", "message": "database down"}}
    httpserver.expect_request("/sessions/whoami").respond_with_json(body, status=500)

    with pytest.raises(ServiceUnavailable) as caught:
        await kratos_public("whoami", cookie="a=b")

    assert caught.value.status == 500
    assert "database down" in caught.value.message
    assert caught.value.body == body


async def test_2xx_that_is_not_json_is_an_ory_error(hydra: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/admin/clients/x").respond_with_data(
        "<html>captive portal</html>", content_type="text/html"
    )

    with pytest.raises(OryError) as caught:
        await hydra("get_oauth2_client", "x")

    assert not isinstance(caught.value, ServiceUnavailable)
    assert caught.value.status == 200
    assert "not JSON" in caught.value.message


async def test_2xx_of_the_wrong_shape_is_an_ory_error(hydra: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/admin/oauth2/auth/requests/login").respond_with_json({"nope": 1})

    with pytest.raises(OryError) as caught:
        await hydra("get_login_request", "x")

    assert caught.value.status == 200
    assert caught.value.body == {"nope": 1}
    assert "challenge: Field required" in caught.value.message


async def test_unexpected_body_is_described_without_its_values(
    hydra: Any, httpserver: HTTPServer, wire: Any
) -> None:
    # A client_secret in an unexpected answer must not end up in a log line.
    body = dict(wire("CREATED_CLIENT"), created_at="not a date")
    httpserver.expect_request("/admin/clients", method="POST").respond_with_json(body, status=201)

    with pytest.raises(OryError) as caught:
        await hydra("create_oauth2_client", _client())

    assert "created_at" in caught.value.message
    assert "s3cr3t" not in str(caught.value)
    assert "not a date" not in str(caught.value)


async def test_error_keeps_set_cookie_headers(
    kratos_public: Any, httpserver: HTTPServer, wire: Any
) -> None:
    import json

    response = Response(
        json.dumps(wire("LOGIN_FLOW_INVALID")), status=400, content_type="application/json"
    )
    response.headers.add("Set-Cookie", "csrf_token_0a1b=new; Path=/; HttpOnly")
    httpserver.expect_request("/self-service/login", method="POST").respond_with_response(response)

    with pytest.raises(ValidationFailed) as caught:
        await kratos_public("submit_flow", "login", LOGIN_FLOW_ID, {"method": "password"})

    assert caught.value.set_cookies == ["csrf_token_0a1b=new; Path=/; HttpOnly"]


async def test_every_error_is_an_ory_error() -> None:
    for cls in (
        ServiceUnavailable,
        NotFound,
        Conflict,
        Gone,
        ValidationFailed,
        Forbidden,
        BrowserLocationChangeRequired,
    ):
        assert issubclass(cls, OryError)


async def test_2xx_list_that_is_not_json_is_an_ory_error(
    hydra: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/admin/clients").respond_with_data(
        "<html>captive portal</html>", content_type="text/html"
    )

    with pytest.raises(OryError) as caught:
        await hydra("list_oauth2_clients", page_size=2)

    assert not isinstance(caught.value, ServiceUnavailable)
    assert caught.value.status == 200
    assert "not JSON" in caught.value.message
