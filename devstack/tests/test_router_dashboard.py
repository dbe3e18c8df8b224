"""The router serves the built dashboard frontend at `/` as nginx does: files, an index.html
fallback for the single-page app's own paths, nginx's security headers; the rest as before."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from devstack.router import Router, Upstreams
from devstack.serve import AsgiServers, RunningServer, Served, start_asgi
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

INDEX = "<!doctype html><title>Stackspin</title><div id=root></div>"


def upstream_app() -> Starlette:
    async def where(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"upstream saw {request.url.path}")

    return Starlette(routes=[Route("/{path:path}", where)])


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dist")
    (root / "index.html").write_text(INDEX)
    (root / "assets").mkdir()
    (root / "assets" / "index-abc123.js").write_text("console.log('dashboard')")
    (root / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    return root


@pytest.fixture(scope="module")
def upstream() -> Iterator[RunningServer]:
    server = start_asgi(upstream_app())
    yield server
    server.stop()


def serve(app: Router) -> tuple[AsgiServers, Served]:
    servers = AsgiServers()
    served = servers.add("router", app, trust_proxy=False)
    servers.start()
    return servers, served


@pytest.fixture(scope="module")
def router(dist: Path, upstream: RunningServer) -> Iterator[Served]:
    upstreams = Upstreams(login_service=upstream.url, dashboard_api=upstream.url, demo=upstream.url)
    servers, served = serve(Router(upstreams, dashboard=dist))
    yield served
    servers.stop()


def test_the_root_is_the_dashboard_with_nginx_security_headers(router: Served) -> None:
    response = httpx.get(router.url + "/")

    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    csp = response.headers["content-security-policy"]
    assert csp.startswith("default-src 'self';")
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["cross-origin-opener-policy"] == "same-origin"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-request-id"]


@pytest.mark.parametrize("path", ["/users", "/users/some-id", "/apps", "/no/such/page"])
def test_the_single_page_apps_own_paths_get_index_html(router: Served, path: str) -> None:
    response = httpx.get(router.url + path)

    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-security-policy"].startswith("default-src 'self';")


def test_built_assets_are_served_cacheable_and_a_missing_one_is_404(router: Served) -> None:
    script = httpx.get(router.url + "/assets/index-abc123.js")
    missing = httpx.get(router.url + "/assets/index-gone.js")

    assert script.status_code == 200
    assert script.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert missing.status_code == 404
    assert "Stackspin" not in missing.text


def test_head_answers_without_a_body(router: Served) -> None:
    response = httpx.head(router.url + "/")

    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize(
    ("path", "seen"),
    [("/api/v1/me", "/api/v1/me"), ("/auth/settings", "/auth/settings"), ("/demo/", "/demo/")],
)
def test_the_other_locations_are_kept(router: Served, path: str, seen: str) -> None:
    response = httpx.get(router.url + path)

    assert response.text == f"upstream saw {seen}"
    assert "content-security-policy" not in response.headers


@pytest.mark.parametrize("path", ["/api/internal/x", "/internal/v1/consent-decision", "/admin/"])
def test_never_public_paths_stay_404(router: Served, path: str) -> None:
    assert httpx.get(router.url + path).status_code == 404


def test_other_methods_outside_the_locations_are_404(router: Served) -> None:
    assert httpx.post(router.url + "/admin/users").status_code == 404


def test_an_unbuilt_dashboard_leaves_the_page_of_links(tmp_path: Path) -> None:
    servers, served = serve(Router(Upstreams(), dashboard=tmp_path / "dist"))
    try:
        response = httpx.get(served.url + "/")
    finally:
        servers.stop()

    assert response.status_code == 200
    assert 'href="/auth/settings"' in response.text
