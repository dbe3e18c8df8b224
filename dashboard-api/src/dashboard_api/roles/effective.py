"""Effective roles: the highest of a person's direct role and their groups' roles on each app
(the queries are in roles/repository.py)."""

from __future__ import annotations

from collections.abc import Collection

from dashboard_api.context import Context
from dashboard_api.roles import repository
from dashboard_api.roles.models import RANK


def higher(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if RANK.get(a, 0) >= RANK.get(b, 0) else b


def effective_roles(
    ctx: Context, *, subjects: Collection[str], app_ids: Collection[int] | None = None
) -> dict[str, dict[int, str]]:
    """subject -> app id -> the highest role name, direct or through a group; one query.

    Subjects without any role are left out of the result.
    """
    rows = repository.direct_and_group_roles(ctx.session, subjects=subjects, app_ids=app_ids)
    found: dict[str, dict[int, str]] = {}
    for subject, app_id, role in rows:
        per_app = found.setdefault(subject, {})
        best = higher(per_app.get(app_id), role)
        if best is not None:
            per_app[app_id] = best
    return found


def effective_role(ctx: Context, *, subject: str, app_id: int) -> str | None:
    return effective_roles(ctx, subjects=[subject], app_ids=[app_id]).get(subject, {}).get(app_id)


def subjects_page(
    ctx: Context,
    *,
    limit: int,
    after: str | None,
    app_id: int | None = None,
    role: str | None = None,
) -> list[str]:
    """Distinct subjects whose effective role matches (on one app, and/or exactly `role`),
    keyset by subject; one query."""
    return repository.effective_subjects_page(
        ctx.session, limit=limit, after=after, app_id=app_id, role=role
    )
