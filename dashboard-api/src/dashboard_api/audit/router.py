"""/api/v1/audit (admins)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from dashboard_api.audit import names, repository
from dashboard_api.audit.actions import AuditAction
from dashboard_api.audit.schemas import AuditEntryOut
from dashboard_api.deps import AdminContext, EndsUnitOfWork
from dashboard_api.errors import problem_responses
from dashboard_api.pagination import Page, decode_cursor, encode_cursor

router = APIRouter(prefix="/audit", tags=["audit"], route_class=EndsUnitOfWork)


@router.get("", responses=problem_responses(401, 403, 422))
def list_audit_entries(
    ctx: AdminContext,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[str | None, Query(max_length=256)] = None,
    actor: Annotated[
        str | None, Query(max_length=128, description="e.g. user:<id>, cli:root")
    ] = None,
    action: Annotated[AuditAction | None, Query()] = None,
    target_type: Annotated[str | None, Query(max_length=32)] = None,
    target_id: Annotated[str | None, Query(max_length=255)] = None,
    since: Annotated[datetime | None, Query()] = None,
    until: Annotated[datetime | None, Query()] = None,
) -> Page[AuditEntryOut]:
    """Newest first, each entry with the names of whom and what it is about."""
    before = decode_cursor(cursor).get("before")
    entries = repository.page(
        ctx.session,
        limit=limit,
        before_id=before if isinstance(before, int) else None,
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        since=_aware(since),
        until=_aware(until),
    )
    next_cursor = encode_cursor({"before": entries[-1].id}) if len(entries) == limit else None
    return Page[AuditEntryOut](items=names.with_names(ctx, entries), next_cursor=next_cursor)


def _aware(value: datetime | None) -> datetime | None:
    """A time without zone is read as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
