"""Which URLs the browser may be sent back to: PUBLIC_URL and LOGIN_ALLOWED_RETURN_URLS only."""

from __future__ import annotations

from urllib.parse import urlsplit

from login_service.config import Settings, origin_of


def is_browser_url(url: str | None) -> bool:
    """True for an absolute http(s) URL without credentials, backslashes or control characters.

    The shape every URL we send a browser to must have, whoever gave it to us (a query
    string, Hydra, Kratos): no `javascript:`, nothing that could split a Location header.
    """
    if not url or "\\" in url or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an invalid IPv6 host
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not parts.username
        and not parts.password
    )


def is_allowed_return_url(url: str, settings: Settings) -> bool:
    """True when `url` is absolute, http(s), and under one of the allowlisted URL prefixes.

    Compares parsed origins and path prefixes, never raw string prefixes, so that
    `https://sso.example.org.evil.net` or `https://sso.example.org@evil.net` do not pass.
    """
    if not is_browser_url(url):
        return False
    parts = urlsplit(url)
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
