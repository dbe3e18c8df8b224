"""Which URLs the browser may be sent back to: PUBLIC_URL and LOGIN_ALLOWED_RETURN_URLS only."""

from __future__ import annotations

from urllib.parse import urlsplit

from login_service.config import Settings, origin_of


def is_allowed_return_url(url: str, settings: Settings) -> bool:
    """True when `url` is absolute, http(s), and under one of the allowlisted URL prefixes.

    Compares parsed origins and path prefixes, never raw string prefixes, so that
    `https://sso.example.org.evil.net` or `https://sso.example.org@evil.net` do not pass.
    """
    if not url or any(ch in url for ch in ("\\", "\r", "\n", "\t")):
        return False
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.username or parts.password:
        return False
    origin = origin_of(url)
    for allowed in (settings.public_url, *settings.allowed_return_urls):
        if origin != origin_of(allowed):
            continue
        prefix = urlsplit(allowed).path.rstrip("/")
        path = parts.path or "/"
        if not prefix or path == prefix or path.startswith(prefix + "/"):
            return True
    return False


def safe_return_url(url: str | None, settings: Settings) -> str | None:
    """`url` when allowlisted, else None (the caller then uses its own default)."""
    if url and is_allowed_return_url(url, settings):
        return url
    return None
