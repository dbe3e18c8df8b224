"""Queries on groups, their members, their grants and which apps may see them."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dashboard_api.apps.models import App
from dashboard_api.groups.models import AppVisibleGroup, Group, GroupAppRole, GroupMember
from dashboard_api.roles.models import Role


def list_groups(session: Session) -> Sequence[Group]:
    return session.scalars(select(Group).order_by(Group.name)).all()


def get(session: Session, group_id: int) -> Group | None:
    return session.get(Group, group_id)


def add_group(session: Session, group: Group) -> None:
    session.add(group)


def get_by_name(session: Session, name: str) -> Group | None:
    return session.scalar(select(Group).where(Group.name == name))


def members(session: Session, group_id: int) -> list[str]:
    return list(
        session.scalars(
            select(GroupMember.subject)
            .where(GroupMember.group_id == group_id)
            .order_by(GroupMember.subject)
        ).all()
    )


def members_of(session: Session, group_ids: Collection[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {gid: [] for gid in group_ids}
    if not found:
        return found
    rows = session.execute(
        select(GroupMember.group_id, GroupMember.subject)
        .where(GroupMember.group_id.in_(list(found)))
        .order_by(GroupMember.subject)
    ).all()
    for gid, subject in rows:
        found[gid].append(subject)
    return found


def grants_of(session: Session, group_ids: Collection[int]) -> dict[int, list[tuple[str, str]]]:
    """(app slug, role name) per group, in one query."""
    found: dict[int, list[tuple[str, str]]] = {gid: [] for gid in group_ids}
    if not found:
        return found
    rows = session.execute(
        select(GroupAppRole.group_id, App.slug, Role.name)
        .join(App, App.id == GroupAppRole.app_id)
        .join(Role, Role.id == GroupAppRole.role_id)
        .where(GroupAppRole.group_id.in_(list(found)))
        .order_by(App.slug)
    ).all()
    for gid, slug, role in rows:
        found[gid].append((slug, role))
    return found


def add_member(session: Session, group_id: int, subject: str) -> bool:
    if session.get(GroupMember, (group_id, subject)) is not None:
        return False
    session.add(GroupMember(group_id=group_id, subject=subject))
    return True


def remove_member(session: Session, group_id: int, subject: str) -> bool:
    result = session.execute(
        delete(GroupMember).where(GroupMember.group_id == group_id, GroupMember.subject == subject)
    )
    return bool(getattr(result, "rowcount", 0))


def grant(session: Session, group_id: int, app_id: int, role_id: int) -> None:
    current = session.get(GroupAppRole, (group_id, app_id))
    if current is None:
        session.add(GroupAppRole(group_id=group_id, app_id=app_id, role_id=role_id))
    else:
        current.role_id = role_id


def remove_grant(session: Session, group_id: int, app_id: int) -> bool:
    result = session.execute(
        delete(GroupAppRole).where(GroupAppRole.group_id == group_id, GroupAppRole.app_id == app_id)
    )
    return bool(getattr(result, "rowcount", 0))


def delete_group(session: Session, group_id: int) -> None:
    # Explicit deletes: SQLite enforces ON DELETE CASCADE only with foreign keys switched on.
    session.execute(delete(GroupMember).where(GroupMember.group_id == group_id))
    session.execute(delete(GroupAppRole).where(GroupAppRole.group_id == group_id))
    session.execute(delete(AppVisibleGroup).where(AppVisibleGroup.group_id == group_id))
    session.execute(delete(Group).where(Group.id == group_id))


def set_visible(session: Session, app_id: int, group_ids: Collection[int]) -> None:
    session.execute(delete(AppVisibleGroup).where(AppVisibleGroup.app_id == app_id))
    for gid in dict.fromkeys(group_ids):
        session.add(AppVisibleGroup(app_id=app_id, group_id=gid))


def visible_group_names(session: Session, *, subject: str, app_id: int) -> list[str]:
    """Names of the subject's groups the app may see, sorted; one query."""
    return list(
        session.scalars(
            select(Group.name)
            .join(GroupMember, GroupMember.group_id == Group.id)
            .join(AppVisibleGroup, AppVisibleGroup.group_id == Group.id)
            .where(GroupMember.subject == subject, AppVisibleGroup.app_id == app_id)
            .order_by(Group.name)
        ).all()
    )


def visible_groups(session: Session, app_id: int) -> list[str]:
    return list(
        session.scalars(
            select(Group.name)
            .join(AppVisibleGroup, AppVisibleGroup.group_id == Group.id)
            .where(AppVisibleGroup.app_id == app_id)
            .order_by(Group.name)
        ).all()
    )


def ids_by_name(session: Session, names: Collection[str]) -> dict[str, int]:
    if not names:
        return {}
    return {
        name: gid
        for gid, name in session.execute(
            select(Group.id, Group.name).where(Group.name.in_(list(names)))
        ).all()
    }


def names_by_id(session: Session, group_ids: Collection[int]) -> dict[int, str]:
    if not group_ids:
        return {}
    return dict(session.execute(select(Group.id, Group.name).where(Group.id.in_(group_ids))).all())
