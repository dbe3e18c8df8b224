"""Bodies of the groups API."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from dashboard_api.apps.schemas import ClaimName
from dashboard_api.people import PersonRef

GroupName = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
]


class GroupGrant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    app: str
    role: str


class GroupOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    name: str
    description: str
    members: list[str]
    grants: list[GroupGrant]
    # The members Kratos knows, with their names (a deleted person's id stays in `members`).
    people: list[PersonRef]


class GroupCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: GroupName
    description: str = Field(default="", max_length=255)


class GroupUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: GroupName | None = None
    description: str | None = Field(default=None, max_length=255)


class MemberAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(min_length=1, max_length=64, description="Kratos identity id")


class GrantSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["admin", "user"]


class GroupsClaim(BaseModel):
    """An app's groups claim: its name (null: none) and the groups whose names it may carry."""

    model_config = ConfigDict(extra="forbid")

    claim: ClaimName | None
    groups: list[str] = Field(default_factory=list, max_length=200)
