"""Find and repair drift between Kratos and our tables: roles of identities that no longer exist,
and identities we created whose database write never committed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from dashboard_api.audit import service as audit
from dashboard_api.audit.models import AuditEntry
from dashboard_api.auth import repository as auth_repository
from dashboard_api.context import Context
from dashboard_api.db import utcnow
from dashboard_api.roles import repository as roles_repository
from dashboard_api.users import identities

CHUNK = 500
# A younger orphan may be a create still in flight; leave it alone.
ORPHAN_MIN_AGE = timedelta(minutes=10)


@dataclass
class Report:
    stale_subjects: list[str] = field(default_factory=list)
    orphan_identities: list[str] = field(default_factory=list)
    repaired: bool = False


def find_stale_subjects(ctx: Context) -> list[str]:
    """Subjects holding roles here whose Kratos identity is gone (one Kratos call per 500)."""
    stale: list[str] = []
    after: str | None = None
    while True:
        subjects = roles_repository.subjects_page(ctx.session, limit=CHUNK, after=after)
        if not subjects:
            return stale
        page = ctx.ory.kratos.list_identities(page_size=len(subjects), ids=subjects)
        existing = {identity.id for identity in page.identities}
        stale.extend(s for s in subjects if s not in existing)
        after = subjects[-1]


def find_orphans(ctx: Context, min_age: timedelta = ORPHAN_MIN_AGE) -> list[str]:
    """Identities we created without a committed `user.create` entry and without roles."""
    created = set(
        ctx.session.scalars(select(AuditEntry.target_id).where(AuditEntry.action == "user.create"))
    )
    cutoff = utcnow() - min_age
    orphans = []
    for identity in ctx.ory.kratos.iter_identities(page_size=CHUNK):
        if not identities.created_by_us(identity) or identity.id in created:
            continue
        if identity.created_at is not None and identity.created_at > cutoff:
            continue
        if roles_repository.has_any_role(ctx.session, identity.id):
            continue
        orphans.append(identity.id)
    return orphans


def reconcile(ctx: Context, *, repair: bool, orphan_min_age: timedelta = ORPHAN_MIN_AGE) -> Report:
    report = Report(
        stale_subjects=find_stale_subjects(ctx),
        orphan_identities=find_orphans(ctx, orphan_min_age),
    )
    if not repair:
        return report
    for subject in report.stale_subjects:
        removed = roles_repository.delete_for_subject(ctx.session, subject)
        auth_repository.delete_sessions_of(ctx.session, subject)
        audit.record(
            ctx,
            action="user.reconcile_roles",
            target_type="user",
            target_id=subject,
            summary={"roles_removed": removed, "reason": "identity no longer exists"},
        )
    for identity_id in report.orphan_identities:
        ctx.ory.kratos.delete_identity(identity_id)
        audit.record(
            ctx,
            action="user.reconcile_orphan",
            target_type="user",
            target_id=identity_id,
            summary={"reason": "created by a create that never committed"},
        )
    report.repaired = True
    return report
