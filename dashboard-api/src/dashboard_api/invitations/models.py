"""Invitations: one row per mailed invitation, pending until accepted, expired or withdrawn."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dashboard_api.db import Base, utcnow

PENDING = "pending"
ACCEPTED = "accepted"
WITHDRAWN = "withdrawn"
# Not stored: a pending row whose expires_at has passed reads as expired.
EXPIRED = "expired"
STATES = (PENDING, ACCEPTED, EXPIRED, WITHDRAWN)


class Invitation(Base):
    __tablename__ = "invitations"
    __table_args__ = (
        Index("ix_invitations_subject", "subject"),
        Index("ix_invitations_state_expires", "state", "expires_at"),
        Index("ix_invitations_flow", "flow_id"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    subject: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(320))
    invited_by: Mapped[str] = mapped_column(String(128))
    # The person's apps and roles when invited: [[app slug, role], ...].
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    # The language of its mail and landing page (mail.LANGUAGES).
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)
    # The Kratos recovery flow the mailed code belongs to (not a secret without the code).
    flow_id: Mapped[str | None] = mapped_column(String(64), default=None)
    # SHA-256 of the mailed code; the code itself is never stored.
    code_hash: Mapped[str] = mapped_column(String(64))

    def state_at(self, now: datetime) -> str:
        if self.state == PENDING and self.expires_at <= now:
            return EXPIRED
        return self.state
