"""Bounded retries with backoff for idempotent calls only, and X-Request-ID propagation."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from stackspin_clients import (
    AsyncHydraAdmin,
    AsyncKratosAdmin,
    HydraAdmin,
    KratosAdmin,
    request_id_var,
)
from stackspin_clients.errors import NotFound, ServiceUnavailable
from stackspin_clients.models import AcceptLogin, CreateIdentity, JsonPatch

pytestmark = pytest.mark.anyio


def _requests(httpserver: HTTPServer, path: str) -> int:
    return sum(1 for request, _ in httpserver.log if request.path == path)


async def test_get_is_retried_on_503_and_then_succeeds(
    kratos_admin: Any, httpserver: HTTPServer, wire: Any
) -> None:
    path = "/admin/identities/ada"
    httpserver.expect_oneshot_request(path).respond_with_data("busy", status=503)
    httpserver.expect_oneshot_request(path).respond_with_json({}, status=502)
    httpserver.expect_request(path).respond_with_json(wire("IDENTITY"))

    identity = await kratos_admin("get_identity", "ada")

    assert identity.traits["email"] == "ada@example.org"
    assert _requests(httpserver, path) == 3


async def test_get_gives_up_after_max_retries(kratos_admin: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/admin/identities").respond_with_data("bad gateway", status=502)

    with pytest.raises(ServiceUnavailable) as caught:
        await kratos_admin("list_identities")

    assert caught.value.status == 502
    assert _requests(httpserver, "/admin/identities") == 3  # 1 try + max_retries=2


async def test_put_and_delete_are_retried_on_504(
    hydra: Any, httpserver: HTTPServer, wire: Any
) -> None:
    accept = "/admin/oauth2/auth/requests/login/accept"
    httpserver.expect_oneshot_request(accept).respond_with_data("", status=504)
    httpserver.expect_request(accept, method="PUT").respond_with_json(wire("REDIRECT_TO"))
    httpserver.expect_request("/admin/clients/c1", method="DELETE").respond_with_data(
        "", status=504
    )

    result = await hydra("accept_login_request", "ch", AcceptLogin(subject="s"))
    with pytest.raises(ServiceUnavailable):
        await hydra("delete_oauth2_client", "c1")

    assert result.redirect_to
    assert _requests(httpserver, accept) == 2
    assert _requests(httpserver, "/admin/clients/c1") == 3


async def test_post_is_not_retried(kratos_admin: Any, hydra: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/admin/identities", method="POST").respond_with_data("", status=503)
    httpserver.expect_request("/admin/oauth2/introspect", method="POST").respond_with_data(
        "", status=502
    )

    with pytest.raises(ServiceUnavailable):
        await kratos_admin("create_identity", CreateIdentity(traits={"email": "a@b"}))
    with pytest.raises(ServiceUnavailable):
        await hydra("introspect_token", "tok")

    assert _requests(httpserver, "/admin/identities") == 1
    assert _requests(httpserver, "/admin/oauth2/introspect") == 1


async def test_patch_is_not_retried(kratos_admin: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/admin/identities", method="PATCH").respond_with_data("", status=503)
    httpserver.expect_request("/admin/identities/ada", method="PATCH").respond_with_data(
        "", status=504
    )

    with pytest.raises(ServiceUnavailable):
        await kratos_admin("batch_create_identities", [CreateIdentity(traits={"email": "a@b"})])
    with pytest.raises(ServiceUnavailable):
        await kratos_admin("patch_identity", "ada", [JsonPatch(op="remove", path="/x")])

    assert len(httpserver.log) == 2


async def test_client_errors_and_500_are_not_retried(
    kratos_admin: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request("/admin/identities/gone").respond_with_json(
        wire("KRATOS_NOT_FOUND"), status=404
    )
    httpserver.expect_request("/admin/identities/broken").respond_with_json(
        {"error": {"code": 500, "message": "boom"}}, status=500
    )

    with pytest.raises(NotFound):
        await kratos_admin("get_identity", "gone")
    with pytest.raises(ServiceUnavailable):
        await kratos_admin("get_identity", "broken")

    assert len(httpserver.log) == 2


async def test_backoff_doubles_between_attempts(
    caller: Any, make_config: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/admin/clients").respond_with_data("", status=503)
    hydra = caller(
        HydraAdmin,
        AsyncHydraAdmin,
        make_config(httpserver.url_for("/"), max_retries=2, backoff=0.1),
    )

    started = time.monotonic()
    with pytest.raises(ServiceUnavailable):
        await hydra("list_oauth2_clients")

    assert time.monotonic() - started >= 0.1 + 0.2
    assert len(httpserver.log) == 3


async def test_max_retries_zero_means_one_attempt(
    caller: Any, make_config: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/admin/clients").respond_with_data("", status=503)
    hydra = caller(HydraAdmin, AsyncHydraAdmin, make_config(httpserver.url_for("/"), max_retries=0))

    with pytest.raises(ServiceUnavailable):
        await hydra("list_oauth2_clients")

    assert len(httpserver.log) == 1


class HangUpServer:
    """Accepts TCP connections, reads the request and hangs up without answering."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            with conn:
                conn.settimeout(1)
                # The client may already have given up; a reset here is expected.
                with contextlib.suppress(OSError):
                    conn.recv(65536)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def hang_up_server() -> Iterator[HangUpServer]:
    server = HangUpServer()
    yield server
    server.stop()


async def test_connection_errors_are_retried_for_get_only(
    caller: Any, make_config: Any, hang_up_server: HangUpServer
) -> None:
    kratos_admin = caller(KratosAdmin, AsyncKratosAdmin, make_config(hang_up_server.url))

    with pytest.raises(ServiceUnavailable) as get_error:
        await kratos_admin("get_identity", "ada")
    after_get = hang_up_server.connections
    with pytest.raises(ServiceUnavailable):
        await kratos_admin("create_identity", CreateIdentity(traits={"email": "a@b"}))

    assert after_get == 3
    assert hang_up_server.connections - after_get == 1
    assert get_error.value.status is None


async def test_request_id_is_sent_on_every_attempt(
    hydra: Any, httpserver: HTTPServer, wire: Any
) -> None:
    path = "/admin/oauth2/auth/requests/consent"
    httpserver.expect_oneshot_request(path).respond_with_data("", status=503)
    httpserver.expect_request(path, headers={"X-Request-ID": "req-42"}).respond_with_json(
        wire("CONSENT_REQUEST")
    )

    token = request_id_var.set("req-42")
    try:
        await hydra("get_consent_request", "c0n53ntch4ll3ng3")
    finally:
        request_id_var.reset(token)

    assert [r.headers.get("X-Request-ID") for r, _ in httpserver.log] == ["req-42", "req-42"]


async def test_no_request_id_header_without_a_request_id(
    hydra: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request("/admin/oauth2/auth/requests/consent").respond_with_json(
        wire("CONSENT_REQUEST")
    )

    await hydra("get_consent_request", "c0n53ntch4ll3ng3")

    assert "X-Request-ID" not in httpserver.log[0][0].headers


async def test_concurrent_tasks_send_their_own_request_id(
    config: Any, httpserver: HTTPServer, wire: Any
) -> None:
    import anyio

    httpserver.expect_request("/admin/oauth2/auth/requests/consent").respond_with_json(
        wire("CONSENT_REQUEST")
    )

    async def call(request_id: str, client: AsyncHydraAdmin) -> None:
        request_id_var.set(request_id)  # each task runs in its own copy of the context
        await client.get_consent_request(request_id)

    async with AsyncHydraAdmin(config) as client, anyio.create_task_group() as tasks:
        for i in range(5):
            tasks.start_soon(call, f"req-{i}", client)

    sent = {(r.args["consent_challenge"], r.headers.get("X-Request-ID")) for r, _ in httpserver.log}
    assert sent == {(f"req-{i}", f"req-{i}") for i in range(5)}
    assert request_id_var.get() is None


async def test_each_retry_is_logged_without_the_query(
    kratos_admin: Any, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request("/admin/identities").respond_with_data("", status=503)

    with caplog.at_level("WARNING", logger="stackspin_clients"), pytest.raises(ServiceUnavailable):
        await kratos_admin("list_identities", credentials_identifier="ada@example.org")

    retries = [r.getMessage() for r in caplog.records if r.name == "stackspin_clients"]
    assert len(retries) == 2
    assert retries[0].startswith("retrying GET /admin/identities after 503 (attempt 2)")
    assert all("ada@example.org" not in message for message in retries)
