"""What the invitations API answers with."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from dashboard_api.invitations.models import Invitation

InvitationState = Literal["pending", "accepted", "expired", "withdrawn"]


class InvitationOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    user_id: str
    email: str
    invited_by: str
    roles: list[list[str]]
    state: InvitationState
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None = None
    withdrawn_at: datetime | None = None

    @classmethod
    def of(cls, row: Invitation, state: str) -> InvitationOut:
        return cls(
            id=row.id,
            user_id=row.subject,
            email=row.email,
            invited_by=row.invited_by,
            roles=list(row.summary.get("roles", [])),
            state=state,
            created_at=row.created_at,
            expires_at=row.expires_at,
            accepted_at=row.accepted_at,
            withdrawn_at=row.withdrawn_at,
        )
