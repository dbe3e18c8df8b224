"""Appending to and reading the audit log; every write in the service layer calls `record`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from stackspin_clients import request_id_var

from dashboard_api.actors import Actor
from dashboard_api.audit import repository
from dashboard_api.audit.models import AuditEntry
from dashboard_api.db import utcnow


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: str,
    summary: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (it commits or rolls back with the change)."""
    entry = AuditEntry(
        at=utcnow(),
        actor=str(actor),
        action=action,
        target_type=target_type,
        target_id=target_id,
        summary=summary or {},
        request_id=request_id_var.get(),
    )
    repository.add(session, entry)
    return entry


def list_entries(
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
    return repository.page(
        session,
        limit=limit,
        before_id=before_id,
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        since=since,
        until=until,
    )
