"""Marking an invitation accepted once its mailed code was redeemed (see users.invitations)."""

from __future__ import annotations

from dashboard_api.audit import service as audit
from dashboard_api.context import Context
from dashboard_api.db import utcnow
from dashboard_api.invitations import repository
from dashboard_api.invitations.models import PENDING


def mark_accepted(ctx: Context, *, flow_id: str) -> None:
    row = repository.by_flow(ctx.session, flow_id)
    if row is None or row.state != PENDING:
        return
    row.state = "accepted"
    row.accepted_at = utcnow()
    audit.record(
        ctx,
        action="invitation.accept",
        target_type="user",
        target_id=row.subject,
        summary={"invitation": row.id, "email": row.email},
    )
