"""Bodies of the roles API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class RoleOut(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)

    name: str
    description: str
