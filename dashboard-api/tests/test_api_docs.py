"""/api/docs is Swagger UI from this service: the page and every asset it names come from our
origin, under a CSP that names no other; nothing outside the asset list is served. (In a real
browser with the network cut off at the origin: tests/test_e2e_api_docs.py.)"""

from __future__ import annotations

import re

import httpx


def test_the_docs_page_names_only_assets_on_this_origin_and_each_is_served(
    anonymous: httpx.Client,
) -> None:
    page = anonymous.get("/api/docs")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    linked = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assets = [url for url in linked if url.startswith("/api/docs/assets/")]
    assert set(linked) - set(assets) == {"/api/v1/auth/login?return_to=/api/docs"}
    assert "<script>" not in page.text  # no inline script: the CSP allows none
    for url in assets:
        answer = anonymous.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["content-security-policy"] == page.headers["content-security-policy"]
    bundle = anonymous.get("/api/docs/assets/swagger-ui-bundle.js")
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert "SwaggerUIBundle" in bundle.text


def test_the_docs_csp_allows_this_origin_only(anonymous: httpx.Client) -> None:
    csp = anonymous.get("/api/docs").headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert not re.search(r"https?:|unsafe", csp)


def test_only_the_listed_assets_are_served(anonymous: httpx.Client) -> None:
    for name in ("index.html", "swagger-initializer.js", "..%2Frouter.py", "oauth2-redirect.html"):
        answer = anonymous.get(f"/api/docs/assets/{name}")
        assert answer.status_code == 404, name
        assert answer.headers["content-type"] == "application/problem+json"
