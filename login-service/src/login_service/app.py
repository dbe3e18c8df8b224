"""The Flask app factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from login_service.clients import init_clients
from login_service.clock import Clock, init_clock
from login_service.config import Settings
from login_service.errors import register_error_handler
from login_service.flows.routes import bp as flows_bp
from login_service.headers import csp_nonce, init_security_headers
from login_service.health import bp as health_bp
from login_service.hydra.consent import bp as consent_bp
from login_service.hydra.login import bp as login_bp
from login_service.hydra.logout import bp as logout_bp
from login_service.i18n import init_i18n
from login_service.observability import configure_logging, init_request_context
from login_service.render.groups import group_title
from login_service.request_body import init_body_draining
from login_service.theme import bp as theme_bp

PACKAGE_DIR = Path(__file__).parent


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> Flask:
    """Build the login-service; `settings` defaults to the LOGIN_* environment, `clock` to
    `time.time`."""
    settings = settings or Settings()
    configure_logging(settings.log_level)
    app = Flask(
        __name__,
        static_folder=str(PACKAGE_DIR / "render" / "static"),
        static_url_path="/auth/static",
        template_folder=str(PACKAGE_DIR / "render" / "templates"),
    )
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        # Our cookie holds only the CSRF secret and short-lived markers (signed, not secret).
        SESSION_COOKIE_NAME="login_service_session",
        SESSION_COOKIE_PATH="/auth",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.is_production,
        WTF_CSRF_TIME_LIMIT=3600,
        # nginx's client_max_body_size for /auth/ is the same (proxy/templates).
        MAX_CONTENT_LENGTH=64 * 1024,
        BABEL_TRANSLATION_DIRECTORIES=str(PACKAGE_DIR / "translations"),
        BABEL_DEFAULT_TIMEZONE=settings.timezone,
    )
    if settings.proxy_hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=settings.proxy_hops,
            x_proto=settings.proxy_hops,
            x_host=settings.proxy_hops,
        )

    init_clock(app, clock)
    init_request_context(app)
    init_i18n(app)
    CSRFProtect(app)
    init_security_headers(app, settings)
    init_body_draining(app)
    register_error_handler(app)
    init_clients(app, settings)

    app.jinja_env.globals.update(csp_nonce=csp_nonce, group_title=group_title, site=settings)
    for blueprint in (login_bp, consent_bp, logout_bp, flows_bp, health_bp, theme_bp):
        app.register_blueprint(blueprint)
    return app
