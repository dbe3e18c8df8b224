"""Security headers on every response: a nonce-based CSP without unsafe-inline, no framing,
a strict referrer policy, and no caching of anything but our static files."""

from __future__ import annotations

import secrets

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


def content_security_policy(settings: Settings, nonce: str) -> str:
    kratos = origin_of(settings.kratos_browser_url)
    logo = origin_of(settings.logo_url) if settings.logo_url else ""
    # form-action is left out on purpose: browsers apply it to the redirect chain after a
    # submit (Kratos → login-service → Hydra → the app), and the apps' origins are not ours.
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
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def init_security_headers(app: Flask, settings: Settings) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers["Content-Security-Policy"] = content_security_policy(settings, csp_nonce())
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
