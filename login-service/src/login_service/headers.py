"""Security headers on every response: a nonce-based CSP without unsafe-inline, no framing,
a strict referrer policy, and no caching of anything but our static files.

form-action: Chromium checks it against every hop of the redirect chain a submit starts (a
consent form → login-service → Hydra → the app's redirect_uri), so it lists our own, Kratos's
and Hydra's origins, the allowlisted return URLs, and what the page itself says its forms lead
to (allow_form_targets). Pages whose forms may end at any app (the Kratos login and
registration forms: Kratos → login → consent → the app that asked) leave it out.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from flask import Flask, g, request
from werkzeug.wrappers import Response

from login_service.config import Settings, origin_of


def csp_nonce() -> str:
    """The per-request nonce for our own <script> tags (created on first use)."""
    nonce: str | None = g.get("csp_nonce")
    if nonce is None:
        nonce = secrets.token_urlsafe(18)
        g.csp_nonce = nonce
    return nonce


def allow_form_targets(urls: Iterable[str] | None) -> None:
    """This page's forms lead (through redirects) to these URLs as well: allow their origins."""
    targets: set[str] = g.setdefault("form_targets", set())
    targets.update(origin for origin in map(origin_of, urls or ()) if origin)


def leave_form_action_open() -> None:
    """This page's forms may end at any app: no form-action for it."""
    g.form_action_open = True


def form_action_sources(settings: Settings) -> list[str] | None:
    """The form-action sources of the current page; None when it has none."""
    if g.get("form_action_open"):
        return None
    urls = [
        settings.public_url,
        settings.kratos_browser_url,
        settings.hydra_public_base,
        *settings.allowed_return_urls,
    ]
    origins = {origin_of(url) for url in urls} | set(g.get("form_targets", ()))
    return ["'self'", *sorted(o for o in origins if o)]


def content_security_policy(settings: Settings, nonce: str, form_action: list[str] | None) -> str:
    kratos = origin_of(settings.kratos_browser_url)
    logo = origin_of(settings.logo_url) if settings.logo_url else ""
    directives = {
        "default-src": "'none'",
        "script-src": f"'self' 'nonce-{nonce}' {kratos}",
        "style-src": "'self'",
        # TOTP QR codes arrive as data: URIs.
        "img-src": f"'self' data: {logo}".strip(),
        "font-src": "'self'",
        "connect-src": f"'self' {kratos}",
        "base-uri": "'none'",
        "object-src": "'none'",
        "frame-ancestors": "'none'",
    }
    if form_action is not None:
        directives["form-action"] = " ".join(form_action)
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def init_security_headers(app: Flask, settings: Settings) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers["Content-Security-Policy"] = content_security_policy(
            settings, csp_nonce(), form_action_sources(settings)
        )
        headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        # same-origin keeps the Referer Flask-WTF checks on HTTPS, and never leaks flow ids.
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
        if settings.is_production:
            headers["Strict-Transport-Security"] = "max-age=31536000"
        if not request.path.startswith("/auth/static/"):
            # Pages carry CSRF tokens, TOTP secrets or recovery codes: never store them.
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"
        return response
