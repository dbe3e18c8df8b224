"""Request and response bodies of the users API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

RoleName = Literal["admin", "user"]
Email = Annotated[EmailStr, Field(max_length=254)]
# Limits as in deploy/ory/identity.schema.json, so Kratos never refuses what we accepted.
PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Username = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64, pattern=r"^[a-zA-Z0-9][a-zA-Z0-9._-]*$"),
]
AppSlug = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AppRole(Strict):
    app: AppSlug
    role: RoleName


class UserCreate(Strict):
    email: Email
    name: PersonName | None = None
    username: Username | None = None
    # Roles to give on apps; the `dashboard` app defaults to `user` when not listed.
    roles: Annotated[list[AppRole], Field(max_length=100)] = Field(default_factory=list)
    # Mail a Kratos recovery code so the person sets a password.
    invite: bool = False
    # The invitation mail's language (default DASHBOARD_INVITATION_LANGUAGE).
    language: Literal["en", "nl"] | None = None


class UserUpdate(Strict):
    email: Email | None = None
    name: PersonName | None = None
    username: Username | None = None
    state: Literal["active", "inactive"] | None = None
    # When given, replaces every role of the user.
    roles: Annotated[list[AppRole], Field(max_length=100)] | None = None


class MeUpdate(Strict):
    name: PersonName | None = None
    username: Username | None = None


class User(Strict):
    id: str
    email: str | None
    name: str | None
    username: str | None
    state: str
    email_verified: bool
    created_at: datetime | None
    roles: list[AppRole]


class Me(User):
    is_admin: bool


class BatchCreate(Strict):
    users: Annotated[list[UserCreate], Field(min_length=1, max_length=1000)]


class BatchItemResult(Strict):
    index: int
    email: str
    # `would_create` only in a dry run: what `created` would be, nothing written.
    status: Literal["created", "exists", "failed", "would_create"]
    id: str | None = None
    error: str | None = None


class BatchResult(Strict):
    results: list[BatchItemResult]
    created: int
    exists: int
    failed: int
    would_create: int = 0
    dry_run: bool = False


class RecoveryCode(Strict):
    """A one-time code for the admin to hand over, and the page to enter it on."""

    recovery_link: str
    recovery_code: str
    expires_at: datetime | None


class UserSession(Strict):
    id: str
    active: bool | None
    authenticated_at: datetime | None
    expires_at: datetime | None
    aal: str | None
    methods: list[str]
