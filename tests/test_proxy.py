"""The proxy config in real nginx against small upstream servers: path map, 404s, headers, 429."""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from devstack.serve import RunningServer, start_asgi
from stack_harness.nginx import RunningNginx, start_nginx

pytestmark = pytest.mark.requires("nginx")

UPSTREAMS = ("login_service", "dashboard_api", "kratos_public", "hydra_public")


def echo_app(name: str) -> Any:
    """An ASGI app answering with what it received, so tests can see what nginx forwarded."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = json.dumps(
            {
                "upstream": name,
                "method": scope["method"],
                "path": scope["path"],
                "query": scope["query_string"].decode(),
                "headers": {k.decode(): v.decode() for k, v in scope["headers"]},
                # Padding so gzip (min length 1 KiB) has something to compress.
                "padding": "x" * 2048,
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return app


@pytest.fixture(scope="module")
def upstreams() -> Iterator[dict[str, RunningServer]]:
    servers = {name: start_asgi(echo_app(name)) for name in UPSTREAMS}
    yield servers
    for server in servers.values():
        server.stop()


def start_proxy(prefix: Path, upstreams: dict[str, RunningServer], **kwargs: Any) -> RunningNginx:
    return start_nginx(
        prefix,
        login_service=f"127.0.0.1:{upstreams['login_service'].port}",
        dashboard_api=f"127.0.0.1:{upstreams['dashboard_api'].port}",
        kratos_public=f"127.0.0.1:{upstreams['kratos_public'].port}",
        hydra_public=f"127.0.0.1:{upstreams['hydra_public'].port}",
        **kwargs,
    )


@pytest.fixture(scope="module")
def proxy(
    upstreams: dict[str, RunningServer], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningNginx]:
    server = start_proxy(
        tmp_path_factory.mktemp("nginx"), upstreams, selfservice_rate="6r/m", selfservice_burst=3
    )
    yield server
    server.stop()


@pytest.fixture
def client(proxy: RunningNginx) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=proxy.url, timeout=5, follow_redirects=False) as c:
        yield c


@pytest.mark.parametrize(
    ("path", "upstream", "forwarded_path"),
    [
        ("/auth/login", "login_service", "/auth/login"),
        ("/auth/static/app.css", "login_service", "/auth/static/app.css"),
        ("/api/v1/me", "dashboard_api", "/api/v1/me"),
        ("/api/docs", "dashboard_api", "/api/docs"),
        ("/api/docs/assets/docs.js", "dashboard_api", "/api/docs/assets/docs.js"),
        ("/kratos/self-service/login/browser", "kratos_public", "/self-service/login/browser"),
        ("/kratos/sessions/whoami", "kratos_public", "/sessions/whoami"),
        ("/oauth2/auth", "hydra_public", "/oauth2/auth"),
        ("/oauth2/token", "hydra_public", "/oauth2/token"),
        ("/userinfo", "hydra_public", "/userinfo"),
        ("/.well-known/openid-configuration", "hydra_public", "/.well-known/openid-configuration"),
        ("/.well-known/jwks.json", "hydra_public", "/.well-known/jwks.json"),
    ],
)
def test_path_map_routes_each_prefix_to_its_service(
    client: httpx.Client, path: str, upstream: str, forwarded_path: str
) -> None:
    response = client.get(path, params={"flow": "abc"})
    assert response.status_code == 200
    seen = response.json()
    assert seen["upstream"] == upstream
    assert seen["path"] == forwarded_path
    assert seen["query"] == "flow=abc"


@pytest.mark.parametrize(
    "path",
    [
        "/kratos/admin/identities",
        "/kratos/admin",
        "/kratos//admin/identities",
        "/kratos/%61dmin/identities",
        "/kratos/admin/courier/messages",
        "/admin/clients",
        "/admin/oauth2/introspect",
        "/admin/oauth2/auth/requests/login?login_challenge=x",
        "/internal/v1/consent-decision?subject=a&client_id=b",
        "/api/internal/v1/consent-decision",
        "/api/../internal/v1/consent-decision",
        "/metrics",
        "/kratos/metrics/prometheus",
        "/healthz",
        "/readyz",
    ],
)
def test_admin_internal_and_metrics_paths_answer_404(client: httpx.Client, path: str) -> None:
    for method in ("GET", "POST", "DELETE"):
        response = client.request(method, path)
        assert response.status_code == 404, (method, path)
        assert "upstream" not in response.text


def test_an_incoming_request_id_is_passed_on_and_returned(client: httpx.Client) -> None:
    response = client.get("/api/v1/me", headers={"X-Request-ID": "test-req-42"})
    assert response.json()["headers"]["x-request-id"] == "test-req-42"
    assert response.headers["x-request-id"] == "test-req-42"


def test_a_request_id_is_made_when_missing_or_malformed(client: httpx.Client) -> None:
    first = client.get("/auth/login").json()["headers"]["x-request-id"]
    second = client.get("/auth/login").json()["headers"]["x-request-id"]
    assert len(first) == 32
    assert first != second
    injected = client.get("/auth/login", headers={"X-Request-ID": 'a" b\\n{'}).json()
    assert injected["headers"]["x-request-id"] not in {'a" b\\n{', ""}


def test_forwarded_headers_describe_the_browser_request(
    client: httpx.Client, proxy: RunningNginx
) -> None:
    headers = client.get("/auth/login").json()["headers"]
    assert headers["host"] == f"127.0.0.1:{proxy.port}"
    assert headers["x-forwarded-proto"] == "http"
    assert headers["x-forwarded-host"] == f"127.0.0.1:{proxy.port}"
    assert "x-forwarded-port" not in headers
    assert headers["x-forwarded-for"] == "127.0.0.1"
    assert headers["x-real-ip"] == "127.0.0.1"


def test_static_frontend_has_security_headers_and_placeholder_links(client: httpx.Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/auth/settings"' in response.text
    assert 'href="/api/docs"' in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in response.headers
    assert "server" not in response.headers or "nginx/" not in response.headers["server"]
    assert client.get("/style.css").status_code == 200
    # The single-page app's own paths get index.html (the browser routes them).
    deep = client.get("/users/some-id")
    assert deep.status_code == 200
    assert deep.text == response.text
    assert "frame-ancestors 'none'" in deep.headers["content-security-policy"]


def test_a_browser_cannot_claim_https_over_plain_http(client: httpx.Client) -> None:
    """Its own X-Forwarded-Proto would make the services set Secure cookies and https links."""
    for path in ("/auth/login", "/api/v1/me", "/kratos/sessions/whoami", "/oauth2/auth"):
        proxied = client.get(path, headers={"X-Forwarded-Proto": "https"})
        assert proxied.json()["headers"]["x-forwarded-proto"] == "http", path
        assert "strict-transport-security" not in proxied.headers, path
    assert "strict-transport-security" not in client.get("/").headers


def test_only_a_listed_balancer_may_report_https(
    upstreams: dict[str, RunningServer], tmp_path: Path
) -> None:
    proxy = start_proxy(tmp_path, upstreams, snippets={"trusted-proxies.geo": "127.0.0.1/32 1;\n"})
    try:
        with httpx.Client(base_url=proxy.url, timeout=5) as c:
            response = c.get("/", headers={"X-Forwarded-Proto": "https"})
            assert response.headers["strict-transport-security"].startswith("max-age=31536000")
            proxied = c.get("/api/v1/me", headers={"X-Forwarded-Proto": "https"})
            assert "strict-transport-security" in proxied.headers
            assert proxied.json()["headers"]["x-forwarded-proto"] == "https"
            plain = c.get("/api/v1/me")
            assert plain.json()["headers"]["x-forwarded-proto"] == "http"
    finally:
        proxy.stop()


def test_api_json_is_gzipped_but_login_pages_are_not(client: httpx.Client) -> None:
    api = client.get("/api/v1/me", headers={"Accept-Encoding": "gzip"})
    assert api.headers.get("content-encoding") == "gzip"
    login = client.get("/auth/login", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in login.headers


def test_oversized_bodies_are_refused(client: httpx.Client) -> None:
    response = client.post("/auth/login", content=b"x" * (2 * 1024 * 1024))
    assert response.status_code == 413


def test_hammering_kratos_form_submissions_answers_429_with_a_readable_page(
    upstreams: dict[str, RunningServer], tmp_path: Path
) -> None:
    proxy = start_proxy(tmp_path, upstreams, selfservice_rate="6r/m", selfservice_burst=3)
    try:
        with httpx.Client(base_url=proxy.url, timeout=5) as c:
            statuses = [
                c.post("/kratos/self-service/login", params={"flow": "f"}, data={"a": "b"})
                for _ in range(8)
            ]
            codes = [r.status_code for r in statuses]
            assert codes[:4] == [200] * 4
            assert codes[-1] == 429
            refused = statuses[-1]
            assert refused.headers["content-type"].startswith("text/html")
            assert "Too many attempts" in refused.text
            assert "Retry-After" in refused.headers
            # Page loads and other services are not limited.
            assert c.get("/kratos/self-service/login/browser").status_code == 200
            assert c.post("/api/v1/me").status_code == 200
            for kind in ("recovery", "verification", "settings", "registration"):
                assert (
                    c.post(f"/kratos/self-service/{kind}", params={"flow": "f"}).status_code == 429
                )
    finally:
        proxy.stop()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_with_tls_on_every_answer_carries_hsts_and_upstreams_see_https(
    upstreams: dict[str, RunningServer], tmp_path: Path
) -> None:
    cert, key = self_signed_certificate(tmp_path)
    proxy = start_proxy(
        tmp_path / "nginx",
        upstreams,
        listen_suffix=" ssl",
        snippets={"tls.conf": f"ssl_certificate {cert};\nssl_certificate_key {key};\n"},
    )
    try:
        assert proxy.url.startswith("https://")
        trust = ssl.create_default_context(cafile=str(cert))
        with httpx.Client(base_url=proxy.url, timeout=5, verify=trust) as c:
            home = c.get("/")
            assert home.headers["strict-transport-security"].startswith("max-age=31536000")
            api = c.get("/api/v1/me")
            assert "strict-transport-security" in api.headers
            assert api.json()["headers"]["x-forwarded-proto"] == "https"
            assert c.get("/kratos/admin/identities").status_code == 404
    finally:
        proxy.stop()


ROUTED_PATHS = [
    "/auth/login",
    "/auth/static/app.css",
    "/api/v1/me",
    "/api/docs",
    "/kratos/self-service/login/browser",
    "/kratos/sessions/whoami",
    "/oauth2/auth",
    "/oauth2/token",
    "/userinfo",
    "/.well-known/openid-configuration",
    "/kratos/admin/identities",
    "/kratos/%61dmin/identities",
    "/admin/clients",
    "/internal/v1/consent-decision",
    "/api/internal/v1/consent-decision",
    "/metrics",
    "/kratos/metrics/prometheus",
    "/healthz",
    "/readyz",
]


def test_devstack_router_routes_exactly_like_nginx(
    client: httpx.Client, upstreams: dict[str, RunningServer]
) -> None:
    """`make dev` has no nginx: its router must keep the same path map and 404s."""
    from devstack.router import Router, Upstreams

    router = start_asgi(Router(upstreams=Upstreams(**{n: s.url for n, s in upstreams.items()})))
    try:
        with httpx.Client(base_url=router.url, timeout=5) as dev:
            for path in ROUTED_PATHS:
                via_nginx = client.get(path, params={"flow": "abc"})
                via_router = dev.get(path, params={"flow": "abc"})
                assert via_router.status_code == via_nginx.status_code, path
                if via_nginx.status_code == 200:
                    seen_nginx, seen_router = via_nginx.json(), via_router.json()
                    for key in ("upstream", "path", "query", "method"):
                        assert seen_router[key] == seen_nginx[key], (path, key)
    finally:
        router.stop()


SECURITY_HEADERS = (
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
    "content-security-policy",
)


def assert_security_headers(response: httpx.Response, *, tls: bool = False) -> None:
    for name in SECURITY_HEADERS:
        assert name in response.headers, (name, response.status_code, response.url)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert ("strict-transport-security" in response.headers) is tls


def unreachable_upstreams(down: str, upstreams: dict[str, RunningServer]) -> dict[str, str]:
    """The upstream addresses with `down` pointing at a port nothing listens on."""
    from stack_harness.ports import free_port

    addresses = {name: f"127.0.0.1:{server.port}" for name, server in upstreams.items()}
    addresses[down] = f"127.0.0.1:{free_port()}"
    return addresses


@pytest.mark.parametrize(
    ("down", "path"),
    [
        ("login_service", "/auth/login"),
        ("kratos_public", "/kratos/self-service/login/browser"),
        ("hydra_public", "/oauth2/auth"),
    ],
)
def test_a_service_that_is_down_gets_nginx_s_readable_502_page(
    upstreams: dict[str, RunningServer], tmp_path: Path, down: str, path: str
) -> None:
    addresses = unreachable_upstreams(down, upstreams)
    proxy = start_nginx(tmp_path, **addresses)
    try:
        with httpx.Client(base_url=proxy.url, timeout=10) as c:
            response = c.get(path, headers={"X-Request-ID": "req-down-1"})
    finally:
        proxy.stop()
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "Temporarily unavailable" in response.text
    assert "Request id: req-down-1" in response.text
    assert "nginx" not in response.text
    assert response.headers["x-request-id"] == "req-down-1"
    assert response.headers["cache-control"] == "no-store"
    assert_security_headers(response)


def test_the_api_down_answers_problem_json_with_the_request_id(
    upstreams: dict[str, RunningServer], tmp_path: Path
) -> None:
    proxy = start_nginx(tmp_path, **unreachable_upstreams("dashboard_api", upstreams))
    try:
        with httpx.Client(base_url=proxy.url, timeout=10) as c:
            response = c.post("/api/v1/users", json={"a": 1}, headers={"X-Request-ID": "r-api"})
            page = c.get("/api/docs", headers={"Accept": "text/html"})
    finally:
        proxy.stop()
    for answer in (response, page):
        assert answer.status_code == 502
        assert answer.headers["content-type"] == "application/problem+json"
        problem = answer.json()
        assert problem["status"] == 502
        assert problem["title"] == "Bad gateway"
        assert problem["detail"]
        assert problem["request_id"] == answer.headers["x-request-id"]
        assert_security_headers(answer)
    assert response.json()["request_id"] == "r-api"


def test_a_hung_service_gets_504_from_nginx_as_a_page_or_a_problem(
    upstreams: dict[str, RunningServer], tmp_path: Path
) -> None:
    from devstack.testing.faultproxy import silent_server

    with silent_server() as port:
        addresses = dict.fromkeys(UPSTREAMS, f"127.0.0.1:{port}")
        proxy = start_nginx(tmp_path, proxy_read_timeout="1s", **addresses)
        try:
            with httpx.Client(base_url=proxy.url, timeout=10) as c:
                api = c.get("/api/v1/me")
                login = c.get("/auth/login")
        finally:
            proxy.stop()
    assert api.status_code == 504
    assert api.headers["content-type"] == "application/problem+json"
    assert api.json()["status"] == 504
    assert api.json()["title"] == "Gateway timeout"
    assert login.status_code == 504
    assert "Temporarily unavailable" in login.text
    assert "504" in login.text
    for answer in (api, login):
        assert_security_headers(answer)


def test_nginx_error_answers_carry_hsts_over_tls(
    upstreams: dict[str, RunningServer], tmp_path: Path
) -> None:
    cert, key = self_signed_certificate(tmp_path)
    proxy = start_nginx(
        tmp_path / "nginx",
        listen_suffix=" ssl",
        snippets={"tls.conf": f"ssl_certificate {cert};\nssl_certificate_key {key};\n"},
        **unreachable_upstreams("kratos_public", upstreams),
    )
    try:
        trust = ssl.create_default_context(cafile=str(cert))
        with httpx.Client(base_url=proxy.url, timeout=10, verify=trust) as c:
            down = c.get("/kratos/self-service/login/browser")
            # (Not under `/`: there unknown paths get the dashboard's index.html.)
            missing = c.get("/admin/no-such-page")
            hammered = [
                c.post("/kratos/self-service/login", params={"flow": "f"}) for _ in range(40)
            ]
    finally:
        proxy.stop()
    assert down.status_code == 502
    assert missing.status_code == 404
    assert hammered[-1].status_code == 429
    for answer in (down, missing, hammered[-1]):
        assert_security_headers(answer, tls=True)


def test_login_service_bodies_above_its_own_limit_stop_at_nginx(client: httpx.Client) -> None:
    """login-service refuses more than 64 KiB (MAX_CONTENT_LENGTH); nginx must not pass more."""
    assert client.post("/auth/login", content=b"x" * (60 * 1024)).status_code == 200
    assert client.post("/auth/login", content=b"x" * (65 * 1024)).status_code == 413
    # The API keeps its bigger limit.
    assert client.post("/api/v1/users", content=b"x" * (512 * 1024)).status_code == 200
