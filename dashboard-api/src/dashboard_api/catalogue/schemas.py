"""Bodies of the catalogue endpoints and of creating an app from a preset."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from dashboard_api.apps.schemas import AppName, AppOut, ClientWithSecret, IconUrl, Slug, Url
from dashboard_api.catalogue.models import ClaimSpec, Preset
from dashboard_api.catalogue.settings import AppSettings
from dashboard_api.groups.schemas import GroupName


class PresetOut(BaseModel):
    """A preset, with its settings filled in as far as they are known before the client exists."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    summary: str
    reference: str
    # "{app_url}" stands for the app's address; null: you give the redirect URI.
    redirect_uri_pattern: str | None
    scope: str
    token_endpoint_auth_method: str
    reads: str
    role_claim: str
    groups_claim: str | None
    username_claim: str
    claims: list[ClaimSpec]
    settings: AppSettings
    notes: list[str]

    @classmethod
    def of(cls, preset: Preset, settings: AppSettings) -> PresetOut:
        return cls(
            id=preset.id,
            name=preset.name,
            summary=preset.summary,
            reference=preset.reference,
            redirect_uri_pattern=(
                "{app_url}" + preset.redirect_path if preset.redirect_path is not None else None
            ),
            scope=preset.scope,
            token_endpoint_auth_method=preset.token_endpoint_auth_method,
            reads=preset.reads,
            role_claim=preset.role_claim,
            groups_claim=preset.groups_claim,
            username_claim=preset.username_claim,
            claims=list(preset.claims),
            settings=settings,
            notes=list(preset.notes),
        )


class AppFromPreset(BaseModel):
    """`POST /api/v1/apps` with `preset`: the app, its OAuth2 client and its claims at once."""

    model_config = ConfigDict(extra="forbid")

    preset: Annotated[str, Field(min_length=1, max_length=64)]
    url: Url
    # Default: the preset's id and name.
    slug: Slug | None = None
    name: AppName | None = None
    icon_url: IconUrl | None = None
    trusted: bool = False
    # Default: the preset's redirect path under url; the generic preset needs one.
    redirect_uri: Url | None = None
    # The groups whose names the app's groups claim may carry (presets with a groups claim).
    groups: Annotated[list[GroupName], Field(max_length=200)] = Field(default_factory=list)


class AppCreatedFromPreset(AppOut):
    """The app, its client (the secret shown this once) and the settings to type into the app."""

    preset: str
    groups_claim: str | None
    groups: list[str]
    client: ClientWithSecret
    settings: AppSettings


class AppSignIn(BaseModel):
    """What any app types in besides its client: our issuer and the names of its claims."""

    model_config = ConfigDict(extra="forbid")

    issuer: str
    discovery_url: str
    role_claim: str
    groups_claim: str | None
    extra_claims: list[str]
