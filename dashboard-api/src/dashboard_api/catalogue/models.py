"""What a preset is: the client Hydra gets, the claims the app reads, and the settings to type in.

Settings and snippets are templates (`string.Template`, `$name`); `settings.render` fills them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

AuthMethod = Literal["client_secret_basic", "client_secret_post"]
ClaimShape = Literal["string", "boolean", "role", "string list"]


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClaimSpec(Frozen):
    """A claim the app reads, its shape (ID token and userinfo) and what the app does with it."""

    name: str
    shape: ClaimShape
    use: str


class Setting(Frozen):
    """One field in the app's own settings (its label there) and what to type into it."""

    label: str
    value: str


class Snippet(Frozen):
    """A block to paste: a config file section, a command, environment variables."""

    title: str
    language: str
    text: str


class Preset(Frozen):
    id: str
    name: str
    summary: str
    # Where the app documents its OIDC settings.
    reference: str
    # The app's address in the docs' example.
    example_url: str
    # Appended to the app's URL; None: the admin names the redirect URI (generic app).
    redirect_path: str | None
    scope: str
    token_endpoint_auth_method: AuthMethod
    # Where the app reads the claims from.
    reads: Literal["ID token", "userinfo", "ID token and userinfo"]
    role_claim: str = "role"
    # None: the app gets no groups claim.
    groups_claim: str | None = None
    username_claim: str = "preferred_username"
    claims: tuple[ClaimSpec, ...]
    settings: tuple[Setting, ...] = ()
    snippets: tuple[Snippet, ...] = ()
    notes: tuple[str, ...] = ()
