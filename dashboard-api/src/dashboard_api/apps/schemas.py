"""Request and response bodies of the apps API."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints, model_validator

Slug = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
]
AppName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
ClaimName = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z_][A-Za-z0-9_.:-]*$")
]
ExtraClaims = Annotated[dict[ClaimName, Any], Field(max_length=20)]
Url = Annotated[AnyHttpUrl, Field(max_length=512)]
RedirectUris = Annotated[list[Url], Field(max_length=20)]
# An icon is fetched by every browser showing My apps: https only, or a path on our own origin
# (not "//host", a scheme-relative URL to another host). No spaces, quotes or angle brackets.
IconUrl = Annotated[
    str,
    StringConstraints(
        max_length=512,
        pattern=r"^(https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s\"'<>\\]*)?|/([^\s\"'<>\\/][^\s\"'<>\\]*)?)$",
    ),
]
GrantType = Literal["authorization_code", "refresh_token", "client_credentials"]
AuthMethod = Literal["client_secret_basic", "client_secret_post", "none"]


def _default_grants() -> list[GrantType]:
    return ["authorization_code", "refresh_token"]


# Claims login-service or Hydra set themselves; an app may not override them.
RESERVED_CLAIMS = frozenset(
    {
        "sub", "iss", "aud", "exp", "iat", "nbf", "jti", "auth_time", "nonce", "acr", "amr",
        "azp", "sid", "at_hash", "c_hash", "email", "email_verified", "name",
        "preferred_username",
    }
)  # fmt: skip


def check_claims(role_claim: str | None, extra: dict[str, Any] | None) -> None:
    """Refuse reserved names and an extra claim named like the role claim (create and update)."""
    names = ([role_claim] if role_claim else []) + list(extra or {})
    clash = sorted(n for n in names if n in RESERVED_CLAIMS)
    if clash:
        raise ValueError(f"reserved claim names: {', '.join(clash)}")
    if role_claim and extra and role_claim in extra:
        raise ValueError("an extra claim has the role claim's name")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _ClaimNames(Strict):
    """The claim checks of AppCreate and AppUpdate, run on the whole body (defaults included)."""

    role_claim: ClaimName | None
    extra_claims: ExtraClaims | None

    @model_validator(mode="after")
    def _no_reserved_claims(self) -> Self:
        check_claims(self.role_claim, self.extra_claims)
        return self


class AppCreate(_ClaimNames):
    slug: Slug
    name: AppName
    url: Url | None = None
    icon_url: IconUrl | None = None
    external: bool = False
    trusted: bool = False
    role_claim: ClaimName = "role"
    # Extra ID token claims; string values may use {subject}, {role} and {app}.
    extra_claims: ExtraClaims = Field(default_factory=dict)


class AppUpdate(_ClaimNames):
    name: AppName | None = None
    url: Url | None = None
    icon_url: IconUrl | None = None
    external: bool | None = None
    trusted: bool | None = None
    # Checked here on their own; the service checks them against the stored app's as well.
    role_claim: ClaimName | None = None
    extra_claims: ExtraClaims | None = None


class AppOut(Strict):
    slug: str
    name: str
    url: str | None
    icon_url: str | None
    external: bool
    trusted: bool
    role_claim: str
    extra_claims: dict[str, Any]
    client_ids: list[str]


class MyApp(Strict):
    slug: str
    name: str
    url: str | None
    icon_url: str | None
    external: bool
    role: str


class ClientCreate(Strict):
    client_name: Annotated[str, StringConstraints(max_length=128)] | None = None
    redirect_uris: Annotated[list[Url], Field(min_length=1, max_length=20)]
    post_logout_redirect_uris: RedirectUris = Field(default_factory=list)
    grant_types: list[GrantType] = Field(default_factory=_default_grants, max_length=3)
    scope: Annotated[
        str, StringConstraints(max_length=512, pattern=r"^[\x21\x23-\x5b\x5d-\x7e ]*$")
    ] = "openid email profile offline_access"
    token_endpoint_auth_method: AuthMethod = "client_secret_basic"  # noqa: S105


class ClientUpdate(Strict):
    redirect_uris: Annotated[list[Url], Field(min_length=1, max_length=20)] | None = None
    post_logout_redirect_uris: RedirectUris | None = None


class ClientOut(Strict):
    client_id: str
    client_name: str | None = None
    redirect_uris: list[str] = Field(default_factory=list)
    post_logout_redirect_uris: list[str] = Field(default_factory=list)
    grant_types: list[str] = Field(default_factory=list)
    scope: str | None = None
    token_endpoint_auth_method: str | None = None
    # False when the link exists here but Hydra no longer knows the client.
    in_hydra: bool = True


class ClientWithSecret(ClientOut):
    # Shown once, at creation and rotation; Hydra keeps only a hash.
    client_secret: str | None
