"""Appending to the audit log: every write in the service layer calls `record`."""

from __future__ import annotations

from typing import Any

from stackspin_clients import request_id_var

from dashboard_api.audit import repository
from dashboard_api.audit.actions import AuditAction
from dashboard_api.audit.models import AuditEntry
from dashboard_api.context import Context
from dashboard_api.db import utcnow


def record(
    ctx: Context,
    *,
    action: AuditAction,
    target_type: str,
    target_id: str,
    summary: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an entry naming ctx's actor to the current transaction (commits or rolls back with
    the change)."""
    entry = AuditEntry(
        at=utcnow(),
        actor=str(ctx.actor),
        action=action,
        target_type=target_type,
        target_id=target_id,
        summary=summary or {},
        request_id=request_id_var.get(),
    )
    repository.add(ctx.session, entry)
    return entry


def record_many(
    ctx: Context,
    *,
    action: AuditAction,
    target_type: str,
    entries: list[tuple[str, dict[str, Any]]],
) -> None:
    """`record` for many targets of one action at once: (target id, summary) each."""
    at, actor, request_id = utcnow(), str(ctx.actor), request_id_var.get()
    repository.add_many(
        ctx.session,
        [
            {
                "at": at,
                "actor": actor,
                "action": action,
                "target_type": target_type,
                "target_id": target_id,
                "summary": summary,
                "request_id": request_id,
            }
            for target_id, summary in entries
        ],
    )
