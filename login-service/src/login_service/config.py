"""Settings of the login-service: one pydantic-settings class, env prefix LOGIN_."""

from __future__ import annotations

import re
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Values that mean "nobody set this"; refused outside development.
PLACEHOLDER_SECRETS = frozenset(
    {"", "changethis", "change-me", "changeme", "secret", "dev", "development"}
)
# Development defaults, refused when ENVIRONMENT=production.
DEV_SECRET = "development-only-secret-key-do-not-use-in-production"  # noqa: S105
DEV_INTERNAL_TOKEN = "development-only-internal-token"  # noqa: S105
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, lower-cased; empty when the URL has no host."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class Settings(BaseSettings):
    """Everything the login-service reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="LOGIN_", extra="ignore")

    environment: Literal["development", "production"] = "development"
    secret_key: str = DEV_SECRET
    public_url: str = "http://localhost:8080"

    hydra_admin_url: str = "http://127.0.0.1:4445"
    kratos_public_url: str = "http://127.0.0.1:4433"
    kratos_browser_url: str = "http://localhost:8080/kratos"
    kratos_admin_url: str = "http://127.0.0.1:4434"
    dashboard_internal_url: str = "http://127.0.0.1:8000"
    dashboard_internal_token: str = DEV_INTERNAL_TOKEN

    # Where return_to and post-logout redirects may point, besides PUBLIC_URL itself.
    allowed_return_urls: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Seconds Hydra remembers a login (0 = the browser session); as long as a Kratos session
    # lives (deploy/ory/kratos.yml session.lifespan), so Hydra never outlasts Kratos.
    remember_for: int = 24 * 3600
    # Seconds Hydra remembers a consent ("remember my choice"); 0 = until revoked. The decision
    # itself is asked of dashboard-api on every login, remembered or not.
    consent_remember_for: int = 0

    # Browser-facing Hydra base (its /oauth2/sessions/logout); PUBLIC_URL when nginx fronts both.
    hydra_browser_url: str | None = None
    # Show the "create an account" link (only when Kratos has registration enabled).
    registration_enabled: bool = False
    # Kratos's password rules (deploy/ory/kratos.yml selfservice.methods.password.config), said
    # beside every new-password field; tests/test_ory_config.py keeps them equal.
    password_min_length: int = 10
    password_identifier_similarity_check: bool = True
    password_breach_check: bool = False

    site_name: str = "Stackspin"
    logo_url: str | None = None
    accent_color: str = "#3c5bd6"
    admin_contact: str = "your administrator"
    # IANA zone the pages print times in (the organisation's own; UTC is labelled as such).
    timezone: str = "UTC"

    # Time budgets (docs/login-service.md adds them up): a request's calls all end within
    # request_timeout (each attempt is cut to what is left, no retry that does not fit), well
    # inside nginx's proxy_read_timeout (30 s), so the person sees our 503 page, not nginx's.
    request_timeout: float = Field(default=15.0, gt=0)
    connect_timeout: float = 3.0
    read_timeout: float = 8.0
    max_retries: int = 1
    # Readiness probes must answer quickly so one slow dependency cannot stall the probe.
    readiness_timeout: float = 2.0

    log_level: str = "INFO"
    # Reverse proxies in front (nginx): trust this many X-Forwarded-* hops; 0 in development.
    proxy_hops: int = 0

    @field_validator("allowed_return_urls", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                return json.loads(text)
            return [item.strip() for item in text.split(",") if item.strip()]
        return value

    @field_validator(
        "public_url",
        "hydra_admin_url",
        "kratos_public_url",
        "kratos_browser_url",
        "kratos_admin_url",
        "dashboard_internal_url",
    )
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        if not origin_of(value):
            raise ValueError(f"must be an absolute http(s) URL, got {value!r}")
        return value.rstrip("/")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (IANA, e.g. Europe/Amsterdam)") from exc
        return value

    @field_validator("accent_color")
    @classmethod
    def _colour(cls, value: str) -> str:
        # Rendered into CSS; only a plain hex colour can never break out of it.
        if not _COLOUR.fullmatch(value):
            raise ValueError("must be a hex colour like #3c5bd6")
        return value

    @model_validator(mode="after")
    def _no_placeholders_outside_development(self) -> Settings:
        if self.environment == "development":
            return self
        for name in ("secret_key", "dashboard_internal_token"):
            value: str = getattr(self, name)
            if value.strip().lower() in PLACEHOLDER_SECRETS or value in (
                DEV_SECRET,
                DEV_INTERNAL_TOKEN,
            ):
                raise ValueError(f"LOGIN_{name.upper()} must be set to a real secret in production")
            if len(value) < 16:
                raise ValueError(f"LOGIN_{name.upper()} must be at least 16 characters")
        return self

    @property
    def hydra_public_base(self) -> str:
        return (self.hydra_browser_url or self.public_url).rstrip("/")

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


def current_settings() -> Settings:
    """The Settings of the app answering the current request (create_app stores them)."""
    settings: Settings = current_app.config["SETTINGS"]
    return settings
