"""A body refused for its size never poisons a keep-alive connection: the next request on it,
maybe another person's consent, is answered normally, straight from gunicorn and through nginx."""

from __future__ import annotations

import secrets
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from stack_harness.nginx import RunningNginx, start_nginx
from stack_harness.ports import free_port
from stack_harness.processes import RunningProcess, start_gunicorn

pytestmark = pytest.mark.requires("nginx")

REPO = Path(__file__).resolve().parents[1]
LIMIT = 64 * 1024  # login-service's MAX_CONTENT_LENGTH


@pytest.fixture(scope="module")
def login_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProcess]:
    # Nothing behind it answers: the requests here end in login-service's own refusals.
    nowhere = f"http://127.0.0.1:{free_port()}"
    env = {
        "LOGIN_ENVIRONMENT": "production",
        "LOGIN_SECRET_KEY": secrets.token_urlsafe(32),
        "LOGIN_DASHBOARD_INTERNAL_TOKEN": secrets.token_urlsafe(32),
        "LOGIN_PUBLIC_URL": "http://127.0.0.1",
        "LOGIN_HYDRA_ADMIN_URL": nowhere,
        "LOGIN_KRATOS_PUBLIC_URL": nowhere,
        "LOGIN_KRATOS_ADMIN_URL": nowhere,
        "LOGIN_DASHBOARD_INTERNAL_URL": nowhere,
        "LOGIN_PROXY_HOPS": "1",
        # One worker, one thread: nginx's reused upstream connection is the one refused before.
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "1",
    }
    server = start_gunicorn(
        "login-service",
        ["--config", str(REPO / "login-service" / "gunicorn.conf.py"), "login_service.wsgi:app"],
        env=env,
        log_dir=tmp_path_factory.mktemp("login-logs"),
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def proxy(
    login_service: RunningProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningNginx]:
    dead = f"127.0.0.1:{free_port()}"
    server = start_nginx(
        tmp_path_factory.mktemp("nginx"),
        login_service=f"127.0.0.1:{login_service.port}",
        dashboard_api=dead,
        kratos_public=dead,
        hydra_public=dead,
    )
    yield server
    server.stop()


def post(path: str, body: bytes) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 response with a Content-Length body; raises EOFError on a closed socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError(f"connection closed after {data[:200]!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError("connection closed inside the body")
        rest += chunk
    return status, headers, rest[:length]


def consent_form() -> bytes:
    return b"consent_challenge=abc&decision=accept"


def test_after_login_service_refuses_a_big_body_the_same_connection_still_works(
    login_service: RunningProcess,
) -> None:
    with socket.create_connection(("127.0.0.1", login_service.port), timeout=10) as sock:
        sock.sendall(post("/auth/consent", b"a=" + b"x" * (LIMIT + 40 * 1024)))
        status, headers, _ = read_response(sock)
        assert status == 413
        if headers.get("connection", "").lower() == "close":
            return  # closing is as good as draining: nothing is left behind for another request
        sock.sendall(post("/auth/consent", consent_form()))
        # The form has no CSRF token: login-service's own refusal, not a garbled request.
        status, _, body = read_response(sock)
        assert status == 400
        assert b"This form has expired" in body


def test_a_body_of_exactly_the_limit_leaves_the_connection_usable(
    login_service: RunningProcess,
) -> None:
    with socket.create_connection(("127.0.0.1", login_service.port), timeout=10) as sock:
        # POST where only GET is served: login-service never reads this body itself.
        sock.sendall(post("/auth/login", b"a=" + b"x" * (LIMIT - 2)))
        assert read_response(sock)[0] == 405
        sock.sendall(post("/auth/consent", consent_form()))
        assert read_response(sock)[0] == 400


@pytest.mark.parametrize(
    ("path", "size", "refused_with"),
    [
        ("/auth/consent", LIMIT + 1, 413),  # nginx's own refusal: the limits agree
        ("/auth/consent", LIMIT + 40 * 1024, 413),
        ("/auth/consent", LIMIT, 400),  # login-service reads the form: no CSRF token
        ("/auth/login", LIMIT, 405),  # login-service never reads this body itself
    ],
)
def test_through_nginx_a_refused_body_does_not_break_the_next_post(
    proxy: RunningNginx, path: str, size: int, refused_with: int
) -> None:
    sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=10)
    try:
        sock.sendall(post(path, b"a=" + b"x" * (size - 2)))
        status, headers, _ = read_response(sock)
        assert status == refused_with
        if headers.get("connection", "").lower() == "close":
            sock.close()
            sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=10)
        # nginx reuses its upstream connection to login-service (keepalive) for these.
        for _ in range(3):
            sock.sendall(post("/auth/consent", consent_form()))
            status, _, body = read_response(sock)
            assert status == 400, body[:300]
    finally:
        sock.close()
