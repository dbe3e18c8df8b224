import socket
from collections.abc import Iterator

import httpx
import pytest
from devstack.router import Router, Upstreams
from devstack.serve import AsgiServers, RunningServer, Served, start_asgi
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route


def echo_app(name: str) -> Starlette:
    """An upstream that tells what it received: method, paths, query, headers, body."""

    async def echo(request: Request) -> Response:
        return JSONResponse(
            {
                "upstream": name,
                "method": request.method,
                "path": request.url.path,
                "raw_path": request.scope["raw_path"].decode(),
                "query": request.scope["query_string"].decode(),
                "headers": [[k.decode(), v.decode()] for k, v in request.scope["headers"]],
                "body": (await request.body()).decode(),
            }
        )

    async def cookies(request: Request) -> Response:
        response = RedirectResponse("http://localhost:8080/elsewhere?x=1", status_code=303)
        response.set_cookie("first", "1", path="/")
        response.set_cookie("second", "2", httponly=True)
        return response

    return Starlette(
        routes=[
            Route("/{path:path}/set-cookies", cookies),
            Route("/{path:path}", echo, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        ]
    )


def header(echoed: dict, name: str) -> list[str]:
    return [v for k, v in echoed["headers"] if k == name]


@pytest.fixture(scope="module")
def upstream() -> Iterator[RunningServer]:
    server = start_asgi(echo_app("upstream"))
    yield server
    server.stop()


def serve_router(app: Router) -> tuple[AsgiServers, Served]:
    servers = AsgiServers()
    served = servers.add("router", app, trust_proxy=False)
    servers.start()
    return servers, served


@pytest.fixture(scope="module")
def router(upstream: RunningServer) -> Iterator[tuple[Router, Served]]:
    app = Router(
        Upstreams(
            login_service=upstream.url,
            dashboard_api=upstream.url,
            kratos_public=upstream.url,
            hydra_public=upstream.url,
            demo=echo_app("demo-in-process"),
            mail=upstream.url,
        )
    )
    servers, served = serve_router(app)
    yield app, served
    servers.stop()


@pytest.mark.parametrize(
    ("path", "forwarded_path"),
    [
        ("/auth/login?login_challenge=abc", "/auth/login"),
        ("/api/v1/users?page_size=2", "/api/v1/users"),
        ("/api/docs", "/api/docs"),
        ("/api/docs/assets/swagger-ui-bundle.js", "/api/docs/assets/swagger-ui-bundle.js"),
        ("/kratos/self-service/login/browser?return_to=x", "/self-service/login/browser"),
        ("/oauth2/auth?client_id=x", "/oauth2/auth"),
        ("/userinfo", "/userinfo"),
        ("/.well-known/openid-configuration", "/.well-known/openid-configuration"),
        ("/mail/api/messages", "/mail/api/messages"),
    ],
)
def test_public_paths_reach_their_upstream_with_query_kept(router, path, forwarded_path) -> None:
    _, server = router
    response = httpx.get(server.url + path)

    assert response.status_code == 200
    echoed = response.json()
    assert echoed["path"] == forwarded_path
    assert echoed["query"] == (path.split("?", 1)[1] if "?" in path else "")


def test_in_process_apps_are_served_under_their_prefix(router) -> None:
    _, server = router
    echoed = httpx.get(f"{server.url}/demo/callback?code=1").json()

    assert echoed["upstream"] == "demo-in-process"
    assert echoed["path"] == "/demo/callback"
    assert header(echoed, "x-forwarded-proto") == ["http"]


@pytest.mark.parametrize(
    "path",
    [
        "/kratos/admin/identities",
        "/kratos//admin/identities",
        "/admin/clients",
        "/internal/v1/consent-decision",
        "/api/internal/v1/consent-decision",
        "/metrics",
        "/healthz",
        "/readyz",
        "/kratos/metrics",
        "/nowhere",
        "/authx",
    ],
)
def test_never_public_and_unknown_paths_are_404(router, path) -> None:
    _, server = router
    response = httpx.get(server.url + path)

    assert response.status_code == 404
    assert "Not found" in response.text
    assert response.headers["x-request-id"]


def test_dot_segments_are_refused() -> None:
    servers, server = serve_router(Router(Upstreams()))
    try:
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(b"GET /auth/../internal/v1/x HTTP/1.1\r\nHost: localhost\r\n\r\n")
            status_line = sock.recv(100).split(b"\r\n", 1)[0]
    finally:
        servers.stop()
    assert status_line == b"HTTP/1.1 400 Bad Request"


def test_prefix_without_slash_redirects_like_nginx(router) -> None:
    _, server = router
    response = httpx.get(f"{server.url}/demo?x=1")

    assert response.status_code == 301
    assert response.headers["location"] == "/demo/?x=1"


def test_home_page_links_to_everything(router) -> None:
    _, server = router
    response = httpx.get(server.url + "/")

    assert response.status_code == 200
    for link in ('href="/auth/settings"', 'href="/api/docs"', 'href="/demo/"', 'href="/mail/"'):
        assert link in response.text


def test_forwarding_headers_are_set_like_nginx(router) -> None:
    _, server = router
    response = httpx.post(
        f"{server.url}/auth/login",
        headers={
            "Host": "sso.example.org:8080",
            "X-Forwarded-For": "203.0.113.9",
            "X-Real-IP": "6.6.6.6",
            "Cookie": "a=1; b=2",
            "User-Agent": "test-browser",
        },
        content=b"csrf_token=x&identifier=a",
    )

    echoed = response.json()
    assert echoed["method"] == "POST"
    assert echoed["body"] == "csrf_token=x&identifier=a"
    assert header(echoed, "host") == ["sso.example.org:8080"]
    assert header(echoed, "x-forwarded-host") == ["sso.example.org:8080"]
    assert header(echoed, "x-forwarded-for") == ["203.0.113.9, 127.0.0.1"]
    assert header(echoed, "x-real-ip") == ["127.0.0.1"]
    assert header(echoed, "x-forwarded-proto") == ["http"]
    assert header(echoed, "x-forwarded-port") == []
    assert header(echoed, "cookie") == ["a=1; b=2"]
    assert header(echoed, "user-agent") == ["test-browser"]
    request_id = header(echoed, "x-request-id")
    assert len(request_id) == 1
    assert response.headers["x-request-id"] == request_id[0]


def test_an_incoming_request_id_is_kept_and_a_bad_one_replaced(router) -> None:
    _, server = router
    kept = httpx.get(f"{server.url}/api/x", headers={"X-Request-ID": "req-123"})
    replaced = httpx.get(f"{server.url}/api/x", headers={"X-Request-ID": "bad id\tvalue"})

    assert header(kept.json(), "x-request-id") == ["req-123"]
    assert kept.headers["x-request-id"] == "req-123"
    assert header(replaced.json(), "x-request-id") != ["bad id\tvalue"]


def test_set_cookie_headers_and_location_pass_unchanged_without_following(router) -> None:
    _, server = router
    response = httpx.get(f"{server.url}/kratos/self-service/set-cookies")

    assert response.status_code == 303
    assert response.headers["location"] == "http://localhost:8080/elsewhere?x=1"
    cookies = response.headers.get_list("set-cookie")
    assert len(cookies) == 2
    assert cookies[0].startswith("first=1;")
    assert cookies[1].startswith("second=2;")
    assert "HttpOnly" in cookies[1]


def test_cookies_of_one_browser_never_reach_another(router) -> None:
    _, server = router
    httpx.get(f"{server.url}/auth/x/set-cookies")

    echoed = httpx.get(f"{server.url}/auth/whoami").json()

    assert header(echoed, "cookie") == []


def test_percent_encoded_paths_are_forwarded_as_sent(router) -> None:
    _, server = router
    echoed = httpx.get(f"{server.url}/api/v1/users/a%2Fb").json()

    assert echoed["raw_path"] == "/api/v1/users/a%2Fb"


def test_an_upstream_that_is_down_gives_502_and_a_missing_one_503() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    servers, server = serve_router(Router(Upstreams(login_service=dead_url)))
    try:
        down = httpx.get(f"{server.url}/auth/login")
        missing = httpx.get(f"{server.url}/api/v1/users")
    finally:
        servers.stop()

    assert down.status_code == 502
    assert "login-service" in down.text
    assert missing.status_code == 503
    assert "dashboard-api is not running" in missing.text


def test_oversized_bodies_are_refused(router) -> None:
    _, server = router
    response = httpx.post(f"{server.url}/auth/login", content=b"x" * (1024 * 1024 + 1))

    assert response.status_code == 413


def test_home_page_marks_services_that_are_not_running() -> None:
    servers, server = serve_router(Router(Upstreams(demo=echo_app("demo"))))
    try:
        page = httpx.get(server.url + "/").text
    finally:
        servers.stop()

    assert '<a href="/demo/">Demo app</a>: log in' in page
    assert "<strong>(not running)</strong>" not in page.split("Demo app", 1)[1].split("</li>")[0]
    assert page.count("(not running)") == 3


def test_a_browser_cannot_claim_https_over_plain_http(router) -> None:
    """As nginx: X-Forwarded-Proto comes from the router's own scheme, never the browser."""
    _, server = router
    plain = httpx.get(f"{server.url}/api/x")
    claimed = httpx.get(f"{server.url}/api/x", headers={"X-Forwarded-Proto": "https"})

    assert "strict-transport-security" not in plain.headers
    assert "strict-transport-security" not in claimed.headers
    assert header(claimed.json(), "x-forwarded-proto") == ["http"]
