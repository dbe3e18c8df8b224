"""Queries on the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session

from dashboard_api.audit.models import AuditEntry


def add(session: Session, entry: AuditEntry) -> None:
    session.add(entry)


def add_many(session: Session, entries: Sequence[dict[str, Any]]) -> None:
    """Many entries (column values) in one executemany: no RETURNING, so no statement per row."""
    if entries:
        session.execute(insert(AuditEntry), list(entries))


def page(
    session: Session,
    *,
    limit: int,
    before_id: int | None = None,
    actor: str | None = None,
    action: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Sequence[AuditEntry]:
    """Newest first, keyset on the id."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if target_type is not None:
        query = query.where(AuditEntry.target_type == target_type)
    if target_id is not None:
        query = query.where(AuditEntry.target_id == target_id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    return session.scalars(query).all()


def has_entry(session: Session, *, action: str, target_type: str, target_id: str) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    AuditEntry.action == action,
                    AuditEntry.target_type == target_type,
                    AuditEntry.target_id == target_id,
                )
            )
        )
    )


def target_ids(session: Session, *, action: str) -> set[str]:
    """Every target id that has an entry with `action`."""
    return set(session.scalars(select(AuditEntry.target_id).where(AuditEntry.action == action)))
