"""The dashboard frontend's built files (dashboard/dist) at `/`, as nginx's `location /` serves
them: the file when there is one, else index.html (the single-page app routes in the browser),
with the same security headers and CSP as proxy/templates/default.conf.template."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path

# proxy/templates/default.conf.template, `location /`. Images from any https origin: app icons.
CSP = (
    "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
    "object-src 'none'"
)
SECURITY_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"content-security-policy", CSP.encode()),
)
# Vite names these by content hash: a missing one is a 404, never the HTML of index.html.
HASHED_PREFIX = "/assets/"
IMMUTABLE = b"public, max-age=31536000, immutable"


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    headers: list[tuple[bytes, bytes]]


def is_built(root: Path) -> bool:
    return (root / "index.html").is_file()


def find(root: Path, path: str) -> StaticFile | None:
    """The answer for a GET of `path` (already free of dot segments), or None for a 404."""
    base = root.resolve()
    relative = path.lstrip("/")
    candidate = (base / relative).resolve() if relative else base
    if candidate != base and not candidate.is_relative_to(base):
        return None
    if candidate.is_file():
        return _file(candidate, immutable=path.startswith(HASHED_PREFIX))
    if path.startswith(HASHED_PREFIX):
        return None
    return _file(base / "index.html", immutable=False)


def _file(file: Path, *, immutable: bool) -> StaticFile:
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
        kind += "; charset=utf-8"
    headers = [
        (b"content-type", kind.encode()),
        # index.html must be asked for again, so a new build's asset names are picked up.
        (b"cache-control", IMMUTABLE if immutable else b"no-cache"),
        *SECURITY_HEADERS,
    ]
    return StaticFile(file.read_bytes(), headers)
