"""Queries on invitations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard_api.invitations.models import ACCEPTED, EXPIRED, PENDING, WITHDRAWN, Invitation


def add(session: Session, invitation: Invitation) -> None:
    session.add(invitation)
    session.flush()


def get(session: Session, invitation_id: int, *, for_update: bool = False) -> Invitation | None:
    query = select(Invitation).where(Invitation.id == invitation_id)
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).first()


def page(
    session: Session,
    *,
    limit: int,
    now: datetime,
    before_id: int | None = None,
    state: str | None = None,
    subject: str | None = None,
) -> Sequence[Invitation]:
    """Newest first, keyset on the id; `state` as read at `now` (expired is computed)."""
    query = select(Invitation).order_by(Invitation.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(Invitation.id < before_id)
    if subject is not None:
        query = query.where(Invitation.subject == subject)
    if state == PENDING:
        query = query.where(Invitation.state == PENDING, Invitation.expires_at > now)
    elif state == EXPIRED:
        query = query.where(Invitation.state == PENDING, Invitation.expires_at <= now)
    elif state in (ACCEPTED, WITHDRAWN):
        query = query.where(Invitation.state == state)
    return session.scalars(query).all()


def pending_of(session: Session, subject: str) -> Sequence[Invitation]:
    """The subject's invitations still marked pending (expired ones included)."""
    return session.scalars(
        select(Invitation)
        .where(Invitation.subject == subject, Invitation.state == PENDING)
        .order_by(Invitation.id)
        .with_for_update()
    ).all()


def by_flow(session: Session, flow_id: str) -> Invitation | None:
    return session.scalars(select(Invitation).where(Invitation.flow_id == flow_id)).first()
