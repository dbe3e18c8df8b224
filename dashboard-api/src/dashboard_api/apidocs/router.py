"""The docs page and its assets, all from this origin: Swagger UI's dist files come from the
swagger-ui-bundle-v2 package, the page and its init script from `static/`. A strict CSP allows
nothing else, so the docs work offline and no CDN sees who reads them."""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from fastapi import APIRouter
from fastapi.responses import Response
from swagger_ui_bundle import swagger_ui_path

from dashboard_api.deps import EndsUnitOfWork
from dashboard_api.errors import NotFound

DOCS_PATH = "/api/docs"
ASSETS_PATH = f"{DOCS_PATH}/assets"
# Swagger UI's stylesheet has its icons as data: URIs; everything else is this origin only.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'; object-src 'none'"
)
HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Frame-Options": "DENY"}

_OURS = resources.files(__package__) / "static"
_SWAGGER_UI: Traversable = swagger_ui_path
# name under /api/docs/assets -> (file, media type); nothing outside this list is served.
ASSETS: dict[str, tuple[Traversable, str]] = {
    "swagger-ui.css": (_SWAGGER_UI / "swagger-ui.css", "text/css; charset=utf-8"),
    "swagger-ui-bundle.js": (
        _SWAGGER_UI / "swagger-ui-bundle.js",
        "text/javascript; charset=utf-8",
    ),
    "docs.js": (_OURS / "docs.js", "text/javascript; charset=utf-8"),
    "docs.css": (_OURS / "docs.css", "text/css; charset=utf-8"),
}

_FILES = {"index.html": _OURS / "index.html"} | {name: file for name, (file, _) in ASSETS.items()}

router = APIRouter(prefix=DOCS_PATH, include_in_schema=False, route_class=EndsUnitOfWork)


@cache
def _read(name: str) -> bytes:
    return _FILES[name].read_bytes()


@router.get("")
def docs_page() -> Response:
    """Swagger UI on /api/openapi.json, with a sign-in that comes back here."""
    return Response(_read("index.html"), media_type="text/html; charset=utf-8", headers=HEADERS)


@router.get("/assets/{name}")
def docs_asset(name: str) -> Response:
    found = ASSETS.get(name)
    if found is None:
        raise NotFound(f"There is no docs asset {name!r}.")
    return Response(_read(name), media_type=found[1], headers=HEADERS)
