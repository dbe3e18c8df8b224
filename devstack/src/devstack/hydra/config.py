"""Settings of the Hydra stand-in; a mutable dataclass so a running stack can be re-pointed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class HydraTTLs:
    """Lifespans in seconds (Hydra's `ttl.*` keys and their defaults)."""

    login_consent_request: int = 30 * 60
    access_token: int = 60 * 60
    id_token: int = 60 * 60
    refresh_token: int = 720 * 60 * 60
    auth_code: int = 10 * 60
    authentication_session: int = 720 * 60 * 60


@dataclass
class HydraConfig:
    """Read on every request, so changing a field takes effect at once.

    `issuer` is Hydra's `urls.self.issuer`; `public_url` (default: the issuer) is
    `urls.self.public`,
    the browser-facing base of the public endpoints. The UI URLs are Hydra's `urls.login`,
    `urls.consent`, `urls.logout`, `urls.post_logout_redirect` and `urls.error`.
    """

    issuer: str = "http://localhost:4444/"
    login_url: str = "http://localhost:5000/auth/login"
    consent_url: str = "http://localhost:5000/auth/consent"
    logout_url: str = "http://localhost:5000/auth/logout"
    post_logout_redirect_url: str = "http://localhost:5000/auth/logged-out"
    error_url: str = "http://localhost:5000/auth/error"
    public_url: str | None = None
    database: str = ":memory:"
    ttls: HydraTTLs = field(default_factory=HydraTTLs)
    # Hydra's `oauth2.pkce.enforced_for_public_clients` (off in Hydra; on here, as we require).
    pkce_enforced_for_public_clients: bool = True
    # Hydra's `oauth2.pkce.enforced` (all clients).
    pkce_enforced: bool = False
    # `hydra serve --dev` appends "_dev" to its cookie names.
    dev_cookie_suffix: bool = False
    # Scopes a new client gets when it names none (Hydra's default client scope).
    default_client_scope: tuple[str, ...] = ("offline_access", "offline", "openid")
    # Hydra's `webfinger.oidc_discovery.supported_claims` / `.supported_scope` (deploy's values);
    # discovery lists "sub" and "offline_access", "offline", "openid" before them.
    discovery_claims: tuple[str, ...] = (
        "sub",
        "email",
        "email_verified",
        "name",
        "preferred_username",
        "role",
    )
    discovery_scopes: tuple[str, ...] = ("openid", "offline_access", "profile", "email")

    def public_base(self) -> str:
        """The public base URL with exactly one trailing slash."""
        return (self.public_url or self.issuer).rstrip("/") + "/"

    def issuer_id(self) -> str:
        """The `iss` value; Hydra keeps the issuer exactly as configured."""
        return self.issuer

    def cookie_name(self, base: str) -> str:
        return base + ("_dev" if self.dev_cookie_suffix else "")
