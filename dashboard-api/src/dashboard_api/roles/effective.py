"""Effective roles: the highest of a person's direct role and their groups' roles on each app."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import case, func, select, union_all
from sqlalchemy.orm import Session

from dashboard_api.groups.models import GroupAppRole, GroupMember
from dashboard_api.roles.models import ADMIN, USER, Role, UserAppRole

# Higher wins; a role missing here ranks below every known one.
RANK = {USER: 1, ADMIN: 2}


def higher(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if RANK.get(a, 0) >= RANK.get(b, 0) else b


def effective_roles(
    session: Session, *, subjects: Collection[str], app_ids: Collection[int] | None = None
) -> dict[str, dict[int, str]]:
    """subject -> app id -> the highest role name, direct or through a group; one query.

    Subjects without any role are left out of the result.
    """
    wanted = list(dict.fromkeys(subjects))
    if not wanted:
        return {}
    direct = select(
        UserAppRole.subject.label("subject"),
        UserAppRole.app_id.label("app_id"),
        UserAppRole.role_id.label("role_id"),
    ).where(UserAppRole.subject.in_(wanted))
    grouped = (
        select(
            GroupMember.subject.label("subject"),
            GroupAppRole.app_id.label("app_id"),
            GroupAppRole.role_id.label("role_id"),
        )
        .join(GroupAppRole, GroupAppRole.group_id == GroupMember.group_id)
        .where(GroupMember.subject.in_(wanted))
    )
    if app_ids is not None:
        ids = list(app_ids)
        if not ids:
            return {}
        direct = direct.where(UserAppRole.app_id.in_(ids))
        grouped = grouped.where(GroupAppRole.app_id.in_(ids))
    both = union_all(direct, grouped).subquery()
    rows = session.execute(
        select(both.c.subject, both.c.app_id, Role.name).join(Role, Role.id == both.c.role_id)
    ).all()
    found: dict[str, dict[int, str]] = {}
    for subject, app_id, role in rows:
        per_app = found.setdefault(subject, {})
        best = higher(per_app.get(app_id), role)
        if best is not None:
            per_app[app_id] = best
    return found


def effective_role(session: Session, *, subject: str, app_id: int) -> str | None:
    return (
        effective_roles(session, subjects=[subject], app_ids=[app_id]).get(subject, {}).get(app_id)
    )


def subjects_page(
    session: Session,
    *,
    limit: int,
    after: str | None,
    app_id: int | None = None,
    role: str | None = None,
) -> list[str]:
    """Distinct subjects whose effective role matches (on one app, and/or exactly `role`),
    keyset by subject; one query."""
    rank = case(*((Role.name == name, value) for name, value in RANK.items()), else_=0).label(
        "rank"
    )
    direct = select(UserAppRole.subject.label("subject"), UserAppRole.app_id.label("app_id"), rank)
    direct = direct.join(Role, Role.id == UserAppRole.role_id)
    grouped = (
        select(GroupMember.subject.label("subject"), GroupAppRole.app_id.label("app_id"), rank)
        .join(GroupAppRole, GroupAppRole.group_id == GroupMember.group_id)
        .join(Role, Role.id == GroupAppRole.role_id)
    )
    if app_id is not None:
        direct = direct.where(UserAppRole.app_id == app_id)
        grouped = grouped.where(GroupAppRole.app_id == app_id)
    if after is not None:
        direct = direct.where(UserAppRole.subject > after)
        grouped = grouped.where(GroupMember.subject > after)
    both = union_all(direct, grouped).subquery()
    best = (
        select(both.c.subject, both.c.app_id, func.max(both.c.rank).label("best"))
        .group_by(both.c.subject, both.c.app_id)
        .subquery()
    )
    query = select(best.c.subject).distinct().order_by(best.c.subject).limit(limit)
    if role is not None:
        query = query.where(best.c.best == RANK.get(role, -1))
    return list(session.scalars(query).all())
