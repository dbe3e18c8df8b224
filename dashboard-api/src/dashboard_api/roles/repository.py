"""Queries on roles and user x app roles."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    delete,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql import Subquery

from dashboard_api.apps.models import App
from dashboard_api.db import core_execute
from dashboard_api.groups.models import GroupAppRole, GroupMember
from dashboard_api.roles.models import RANK, Role, UserAppRole


def list_roles(session: Session) -> Sequence[Role]:
    return session.scalars(select(Role).order_by(Role.id)).all()


def roles_by_name(session: Session) -> dict[str, Role]:
    return {role.name: role for role in list_roles(session)}


# Built once: building it per call coerced every one of a page's subjects again.
# STRAIGHT_JOIN: MariaDB must start from the page's subjects (a range on the primary key). Left
# to itself after a bulk import it started from the two roles and read every assignment through
# the role_id index (133k rows, 35 ms for a page at 100k people instead of 1 ms).
_ASSIGNMENTS = (
    select(UserAppRole.subject, App.slug, Role.name)
    .join(App, App.id == UserAppRole.app_id)
    .join(Role, Role.id == UserAppRole.role_id)
    .where(UserAppRole.subject.in_(bindparam("subjects", expanding=True)))
    .order_by(UserAppRole.subject, App.slug)
    .prefix_with("STRAIGHT_JOIN", dialect="mysql")
    .prefix_with("STRAIGHT_JOIN", dialect="mariadb")
)


def with_assignments(rows: Subquery) -> Select[*tuple[Any, ...]]:
    """`rows` (a subquery with a `subject` column), each joined to that person's (app slug,
    role name) pairs, in `rows`' column order then by slug; a person without a role appears
    once with two NULLs. LEFT JOINs: MariaDB reads `rows` first and each person's assignments
    by the primary key (what `_ASSIGNMENTS` needs STRAIGHT_JOIN for)."""
    return (
        select(*rows.c, App.slug, Role.name)
        .select_from(rows)
        .outerjoin(UserAppRole, UserAppRole.subject == rows.c.subject)
        .outerjoin(App, App.id == UserAppRole.app_id)
        .outerjoin(Role, Role.id == UserAppRole.role_id)
        .order_by(*rows.c, App.slug)
    )


def assignments_for(session: Session, subjects: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """(app slug, role name) pairs per subject, in one query."""
    wanted = list(dict.fromkeys(subjects))
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if not wanted:
        return found
    # Core on the session's connection: the ORM's per-statement bookkeeping was most of the cost.
    rows = core_execute(session, _ASSIGNMENTS, {"subjects": wanted}).all()
    for subject, slug, role in rows:
        found[subject].append((slug, role))
    return found


def role_on_app(session: Session, subject: str, app_id: int) -> str | None:
    return session.scalar(
        select(Role.name)
        .join(UserAppRole, UserAppRole.role_id == Role.id)
        .where(UserAppRole.subject == subject, UserAppRole.app_id == app_id)
    )


def get_assignment(session: Session, subject: str, app_id: int) -> UserAppRole | None:
    return session.get(UserAppRole, (subject, app_id))


def assign(session: Session, subject: str, app_id: int, role_id: int) -> None:
    current = get_assignment(session, subject, app_id)
    if current is None:
        session.add(UserAppRole(subject=subject, app_id=app_id, role_id=role_id))
    else:
        current.role_id = role_id


def assign_many(session: Session, rows: Iterable[tuple[str, int, int]]) -> None:
    """`assign` for many (subject, app id, role id) at once: one query for what is there, one
    batched INSERT (at flush) for what is not."""
    wanted = list(rows)
    subjects = list(dict.fromkeys(subject for subject, _, _ in wanted))
    existing = (
        {
            (row.subject, row.app_id): row
            for row in session.scalars(select(UserAppRole).where(UserAppRole.subject.in_(subjects)))
        }
        if subjects
        else {}
    )
    for subject, app_id, role_id in wanted:
        current = existing.get((subject, app_id))
        if current is None:
            current = UserAppRole(subject=subject, app_id=app_id, role_id=role_id)
            session.add(current)
            existing[(subject, app_id)] = current
        else:
            current.role_id = role_id


def unassign(session: Session, subject: str, app_id: int) -> bool:
    result = session.execute(
        delete(UserAppRole).where(UserAppRole.subject == subject, UserAppRole.app_id == app_id)
    )
    return bool(getattr(result, "rowcount", 0))


def delete_for_subject(session: Session, subject: str) -> int:
    result = session.execute(delete(UserAppRole).where(UserAppRole.subject == subject))
    return int(getattr(result, "rowcount", 0))


def subjects_page(
    session: Session,
    *,
    limit: int,
    after: str | None,
    app_id: int | None = None,
    role_id: int | None = None,
) -> list[str]:
    """Distinct subjects holding a role (optionally on one app / with one role), keyset by id."""
    query = select(UserAppRole.subject).distinct().order_by(UserAppRole.subject).limit(limit)
    if app_id is not None:
        query = query.where(UserAppRole.app_id == app_id)
    if role_id is not None:
        query = query.where(UserAppRole.role_id == role_id)
    if after is not None:
        query = query.where(UserAppRole.subject > after)
    return list(session.scalars(query).all())


def lock_holders(session: Session, *, app_id: int, role_id: int) -> list[str]:
    """Subjects holding the role on the app, rows locked until the transaction ends
    (MariaDB; SQLite serialises writers anyway), so two demotions cannot both pass a check."""
    return list(
        session.scalars(
            select(UserAppRole.subject)
            .where(UserAppRole.app_id == app_id, UserAppRole.role_id == role_id)
            .order_by(UserAppRole.subject)
            .with_for_update()
        ).all()
    )


def has_any_role(session: Session, subject: str) -> bool:
    return (
        session.scalar(select(UserAppRole.subject).where(UserAppRole.subject == subject).limit(1))
        is not None
    )


_APP_AND_ROLE_IDS = (
    select(App.id, Role.id)
    .join(Role, Role.name == bindparam("role"))
    .where(App.slug == bindparam("app_slug"))
)


def holds_role_on_app(
    subject: ColumnElement[str] | InstrumentedAttribute[str],
    *,
    app_slug: ColumnElement[str] | str,
    role: ColumnElement[str] | str,
) -> ColumnElement[bool]:
    """SQL: `subject` holds `role` on the app `app_slug`, directly or through a group (two
    EXISTS on primary keys), for a statement of its own or inside another (`auth.repository`)."""
    on_app = and_(App.slug == app_slug, Role.name == role)
    direct = (
        select(UserAppRole.subject)
        .join(App, App.id == UserAppRole.app_id)
        .join(Role, Role.id == UserAppRole.role_id)
        .where(UserAppRole.subject == subject, on_app)
    )
    grouped = (
        select(GroupMember.subject)
        .join(GroupAppRole, GroupAppRole.group_id == GroupMember.group_id)
        .join(App, App.id == GroupAppRole.app_id)
        .join(Role, Role.id == GroupAppRole.role_id)
        .where(GroupMember.subject == subject, on_app)
    )
    return or_(direct.exists(), grouped.exists())


# Built once: the admin checks of requests run it.
_HOLDS_ROLE_ON_APP = select(
    holds_role_on_app(bindparam("subject"), app_slug=bindparam("app_slug"), role=bindparam("role"))
)


def holds_role_directly_or_by_group(
    session: Session, *, subject: str, app_slug: str, role: str
) -> bool:
    """The subject holds `role` on the app, directly or through a group; one query."""
    params = {"subject": subject, "app_slug": app_slug, "role": role}
    return bool(core_execute(session, _HOLDS_ROLE_ON_APP, params).scalar())


def app_and_role_ids(session: Session, *, app_slug: str, role: str) -> tuple[int, int] | None:
    row = core_execute(session, _APP_AND_ROLE_IDS, {"role": role, "app_slug": app_slug}).first()
    return None if row is None else (row[0], row[1])


def holds_role(session: Session, *, subject: str, app_slug: str, role: str) -> bool:
    """The subject's direct role on the app is `role`."""
    return (
        session.scalar(
            select(UserAppRole.subject)
            .join(App, App.id == UserAppRole.app_id)
            .join(Role, Role.id == UserAppRole.role_id)
            .where(UserAppRole.subject == subject, App.slug == app_slug, Role.name == role)
        )
        is not None
    )


def role_ids_by_app(session: Session, subject: str) -> dict[int, int]:
    """app id -> role id of the subject's direct roles."""
    rows = session.execute(
        select(UserAppRole.app_id, UserAppRole.role_id).where(UserAppRole.subject == subject)
    ).all()
    return dict(rows)


def _direct_and_group_roles(*, on_apps: bool) -> Select[str, int, str]:
    subjects = bindparam("subjects", type_=UserAppRole.subject.type, expanding=True)
    direct = select(
        UserAppRole.subject.label("subject"),
        UserAppRole.app_id.label("app_id"),
        UserAppRole.role_id.label("role_id"),
    ).where(UserAppRole.subject.in_(subjects))
    grouped = (
        select(
            GroupMember.subject.label("subject"),
            GroupAppRole.app_id.label("app_id"),
            GroupAppRole.role_id.label("role_id"),
        )
        .join(GroupAppRole, GroupAppRole.group_id == GroupMember.group_id)
        .where(GroupMember.subject.in_(subjects))
    )
    if on_apps:
        app_ids = bindparam("app_ids", type_=UserAppRole.app_id.type, expanding=True)
        direct = direct.where(UserAppRole.app_id.in_(app_ids))
        grouped = grouped.where(GroupAppRole.app_id.in_(app_ids))
    both = union_all(direct, grouped).subquery()
    return select(both.c.subject, both.c.app_id, Role.name).join(Role, Role.id == both.c.role_id)


# Built once (the admin check of every request runs one): building it was most of its cost.
_DIRECT_AND_GROUP_ROLES = _direct_and_group_roles(on_apps=False)
_DIRECT_AND_GROUP_ROLES_ON_APPS = _direct_and_group_roles(on_apps=True)


def direct_and_group_roles(
    session: Session, *, subjects: Collection[str], app_ids: Collection[int] | None = None
) -> list[tuple[str, int, str]]:
    """(subject, app id, role name) of every direct role and every role through a group of
    `subjects` (on `app_ids`, if given); one query."""
    wanted = list(dict.fromkeys(subjects))
    if not wanted:
        return []
    if app_ids is None:
        statement = _DIRECT_AND_GROUP_ROLES
        params: dict[str, object] = {"subjects": wanted}
    else:
        ids = list(app_ids)
        if not ids:
            return []
        statement = _DIRECT_AND_GROUP_ROLES_ON_APPS
        params = {"subjects": wanted, "app_ids": ids}
    rows = core_execute(session, statement, params).all()
    return [(subject, app_id, role) for subject, app_id, role in rows]


def effective_subjects_page(
    session: Session,
    *,
    limit: int,
    after: str | None,
    app_id: int | None = None,
    role: str | None = None,
) -> list[str]:
    """Distinct subjects whose effective role (the highest of direct and group roles, by RANK)
    matches (on one app, and/or exactly `role`), keyset by subject; one query."""
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
