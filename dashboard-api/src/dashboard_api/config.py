"""Settings of dashboard-api: one pydantic-settings class, env prefix DASHBOARD_."""

from __future__ import annotations

import re
from typing import Literal, Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dashboard_api.db import DatabaseTimeouts

# Values that are fine on a laptop and dangerous anywhere else.
PLACEHOLDER_SECRETS = frozenset({"", "changethis", "change-me", "changeme", "secret", "dev"})
DEVELOPMENT_SECRET = "changethis"  # noqa: S105 - refused outside development


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DASHBOARD_", extra="ignore", frozen=True)

    environment: Literal["development", "production"] = "development"
    secret_key: str = DEVELOPMENT_SECRET
    database_url: str = "sqlite:///dashboard.sqlite3"
    public_url: str = "http://localhost:8080"
    # Browser-facing Hydra base for /oauth2/auth and RP-initiated logout; defaults to public_url.
    hydra_browser_url: str | None = None
    hydra_admin_url: str = "http://127.0.0.1:4445"
    hydra_public_url: str = "http://127.0.0.1:4444"
    kratos_admin_url: str = "http://127.0.0.1:4434"
    kratos_public_url: str = "http://127.0.0.1:4433"
    internal_token: str = DEVELOPMENT_SECRET
    # What Kratos's settings web_hook sends (deploy/ory/kratos.yml): a person changed their
    # profile, re-read their search entry. None: the hook is refused, reconcile catches up.
    kratos_hook_token: str | None = None
    oauth_client_id: str = "dashboard"
    oauth_client_secret: str = DEVELOPMENT_SECRET
    oauth_scope: str = "openid email profile"
    smtp_url: str | None = None
    mail_from: str = "Stackspin <no-reply@localhost>"
    # The organisation in the invitation mail, as login-service's LOGIN_SITE_NAME,
    # LOGIN_LOGO_URL and LOGIN_ACCENT_COLOR show it on the pages (set them alike).
    site_name: str = "Stackspin"
    # An absolute https (or http) URL of the logo image; mail clients cannot fetch a relative one.
    logo_url: str | None = None
    accent_color: str = "#3c5bd6"
    # The invitation mail's language when the request names none.
    invitation_language: Literal["en", "nl"] = "en"

    session_lifetime: int = Field(default=8 * 3600, ge=60)
    # None: Secure when public_url is https.
    session_cookie_secure: bool | None = None
    login_state_lifetime: int = Field(default=600, ge=30)
    post_logout_redirect_url: str | None = None
    introspection_cache_seconds: float = Field(default=30.0, ge=0)
    introspection_cache_size: int = Field(default=10_000, ge=1)
    # Seconds an invitation's mailed code works (also its Kratos recovery code's expires_in).
    invitation_lifetime: int = Field(default=72 * 3600, ge=300)
    # How long a recovery code an admin hands over (POST /users/{id}/recovery-code) works.
    recovery_code_expires_in: str = "24h"

    # Time budgets (docs/dashboard-api.md adds them up): all of a request's work fits inside
    # nginx's proxy_read_timeout (30 s), so the caller gets our answer and a request nginx gave
    # up on never changes anything later.
    request_timeout: float = Field(default=12.0, gt=0)
    # Each Ory call; every attempt is also cut to what is left of request_timeout.
    connect_timeout: float = 3.0
    read_timeout: float = 8.0
    max_retries: int = 2
    # Seconds after which a create whose write intent is still pending counts as dead (its
    # process was killed); longer than any request runs.
    write_intent_deadline: int = Field(default=600, ge=1)
    database_connect_timeout: float = Field(default=2.0, gt=0)
    # A MariaDB statement (socket read/write) or SQLite's wait for a lock.
    database_statement_timeout: float = Field(default=4.0, gt=0)
    database_pool_timeout: float = Field(default=4.0, gt=0)
    log_level: str = "INFO"
    log_json: bool = True

    @field_validator("accent_color")
    @classmethod
    def _colour(cls, value: str) -> str:
        # Written into the mail's inline style; only a plain hex colour cannot break out.
        if not re.fullmatch(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?", value):
            raise ValueError("must be a hex colour like #3c5bd6")
        return value

    @field_validator("logo_url")
    @classmethod
    def _absolute_logo(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not re.fullmatch(r"https?://[^\s\"'<>]+", value):
            raise ValueError("must be an absolute http(s) URL")
        return value

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Self:
        if self.placeholder_secrets and self.environment != "development":
            raise ValueError(
                f"{', '.join(self.placeholder_secrets)} still hold a placeholder;"
                " set real secrets outside development"
            )
        return self

    @property
    def placeholder_secrets(self) -> list[str]:
        """The secrets still holding a placeholder (accepted in development only; the server
        says so once when it starts, the CLI — which serves nothing — stays quiet)."""
        return [
            f"DASHBOARD_{name.upper()}"
            for name in ("secret_key", "internal_token", "oauth_client_secret", "kratos_hook_token")
            # " ChangeThis " is no better than "changethis"; an unset hook token is no secret.
            if (value := getattr(self, name)) is not None
            and value.strip().casefold() in PLACEHOLDER_SECRETS
        ]

    @property
    def database_timeouts(self) -> DatabaseTimeouts:
        return DatabaseTimeouts(
            connect=self.database_connect_timeout,
            statement=self.database_statement_timeout,
            pool=self.database_pool_timeout,
        )

    @property
    def public_base(self) -> str:
        return self.public_url.rstrip("/")

    @property
    def hydra_browser_base(self) -> str:
        return (self.hydra_browser_url or self.public_url).rstrip("/")

    @property
    def redirect_uri(self) -> str:
        return f"{self.public_base}/api/v1/auth/callback"

    @property
    def cookie_secure(self) -> bool:
        if self.session_cookie_secure is not None:
            return self.session_cookie_secure
        return self.public_url.startswith("https://")

    @property
    def logout_redirect(self) -> str:
        return self.post_logout_redirect_url or f"{self.public_base}/"
