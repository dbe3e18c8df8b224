"""What the invitations API answers with."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from dashboard_api.invitations.models import Invitation

InvitationState = Literal["pending", "accepted", "expired", "withdrawn"]
# The languages of the invitation mail and its landing page.
Language = Literal["en", "nl"]


class InvitationRequest(BaseModel):
    """An optional body of an invite or a resend."""

    model_config = ConfigDict(extra="forbid")

    # The mail's language; default: the invitation's (resend) or DASHBOARD_INVITATION_LANGUAGE.
    language: Language | None = None


class InvitationWelcomeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    recovery_flow: str = Field(min_length=1, max_length=64)
    accept: bool = False


class InvitationWelcome(BaseModel):
    """For login-service: the invitation a recovery flow belongs to."""

    model_config = ConfigDict(extra="forbid")

    state: InvitationState
    language: Language
    accepted: bool


class InvitationOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    user_id: str
    email: str
    invited_by: str
    roles: list[list[str]]
    state: InvitationState
    language: Language
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None = None
    withdrawn_at: datetime | None = None
    # Filled in lists (one Kratos call a page): the person's name, and who invited in words.
    name: str | None = None
    invited_by_name: str | None = None

    @classmethod
    def of(cls, row: Invitation, state: str) -> InvitationOut:
        return cls(
            id=row.id,
            user_id=row.subject,
            email=row.email,
            invited_by=row.invited_by,
            roles=list(row.summary.get("roles", [])),
            state=state,
            language=row.language,
            created_at=row.created_at,
            expires_at=row.expires_at,
            accepted_at=row.accepted_at,
            withdrawn_at=row.withdrawn_at,
        )
