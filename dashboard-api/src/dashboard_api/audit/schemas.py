"""Bodies of the audit log API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from dashboard_api.audit.actions import AuditAction


class AuditNames(BaseModel):
    """The entry's ids in words, for a sentence; null where nobody or nothing is known by it."""

    model_config = ConfigDict(extra="forbid")

    actor: str | None = Field(description="the person acting (actor user:<id>)")
    target: str | None = Field(description="the person, group, app or client acted on")
    app: str | None = Field(description="the app the summary names (`app`), by its name")
    member: str | None = Field(description="the person the summary names (`subject`)")
    apps: dict[str, str] = Field(
        description="every app the summary names (`app`, role lists), slug to name"
    )


class AuditEntryOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    at: datetime
    actor: str
    action: AuditAction
    target_type: str
    target_id: str
    summary: dict[str, Any]
    request_id: str | None
    names: AuditNames
