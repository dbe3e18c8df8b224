"""Groups: create, rename, delete, members and the roles a group grants on apps; audited.

Every change that can lower someone's effective role revokes what the lowered role leaves
usable (`access.revocation`), before the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stackspin_clients import errors as ory_errors

from dashboard_api import locks
from dashboard_api.access.revocation import RoleMap, revoke_lowered_access
from dashboard_api.apps import repository as apps_repository
from dashboard_api.apps.models import DASHBOARD_APP_SLUG
from dashboard_api.audit import service as audit
from dashboard_api.context import Context
from dashboard_api.errors import Conflict, NotFound, Unprocessable
from dashboard_api.groups import repository
from dashboard_api.groups.models import Group
from dashboard_api.roles import repository as roles_repository
from dashboard_api.roles import service as roles
from dashboard_api.roles.effective import effective_roles
from dashboard_api.roles.models import ADMIN


@dataclass(frozen=True)
class GroupView:
    group: Group
    members: list[str]
    grants: list[tuple[str, str]]


def _lock(ctx: Context, group_id: int) -> None:
    locks.hold(ctx.session, [f"group:{group_id}"])


def _group(ctx: Context, group_id: int) -> Group:
    group = repository.get(ctx.session, group_id)
    if group is None:
        raise NotFound(f"There is no group {group_id}.")
    return group


def _after_change(ctx: Context, *, before: RoleMap, after: RoleMap) -> None:
    """The last-admin rule over effective roles, then revoke what a lowered role leaves usable."""
    dashboard = apps_repository.get_by_slug(ctx.session, DASHBOARD_APP_SLUG)
    if dashboard is not None and any(
        roles_by_app.get(dashboard.id) == ADMIN
        and after.get(subject, {}).get(dashboard.id) != ADMIN
        for subject, roles_by_app in before.items()
    ):
        roles.ensure_an_effective_admin_is_left(ctx)
    revoke_lowered_access(ctx, before=before, after=after)


def _view(ctx: Context, group: Group) -> GroupView:
    return GroupView(
        group=group,
        members=repository.members_of(ctx.session, [group.id])[group.id],
        grants=repository.grants_of(ctx.session, [group.id])[group.id],
    )


def list_groups(ctx: Context) -> list[GroupView]:
    """Every group with members and grants, in three queries."""
    groups: Sequence[Group] = repository.list_groups(ctx.session)
    ids = [g.id for g in groups]
    members = repository.members_of(ctx.session, ids)
    grants = repository.grants_of(ctx.session, ids)
    return [GroupView(group=g, members=members[g.id], grants=grants[g.id]) for g in groups]


def get_group(ctx: Context, *, group_id: int) -> GroupView:
    return _view(ctx, _group(ctx, group_id))


def find_group(ctx: Context, *, name_or_id: str) -> GroupView:
    group = repository.get_by_name(ctx.session, name_or_id)
    if group is None and name_or_id.isdigit():
        group = repository.get(ctx.session, int(name_or_id))
    if group is None:
        raise NotFound(f"There is no group {name_or_id!r}.")
    return _view(ctx, group)


def create_group(ctx: Context, *, name: str, description: str = "") -> GroupView:
    if repository.get_by_name(ctx.session, name) is not None:
        raise Conflict(f"A group named {name!r} exists already.")
    group = Group(name=name, description=description)
    repository.add_group(ctx.session, group)
    ctx.session.flush()
    audit.record(
        ctx,
        action="group.create",
        target_type="group",
        target_id=str(group.id),
        summary={"name": name},
    )
    return GroupView(group=group, members=[], grants=[])


def update_group(
    ctx: Context, *, group_id: int, name: str | None = None, description: str | None = None
) -> GroupView:
    _lock(ctx, group_id)
    group = _group(ctx, group_id)
    before = group.name
    if name is not None and name != group.name:
        if repository.get_by_name(ctx.session, name) is not None:
            raise Conflict(f"A group named {name!r} exists already.")
        group.name = name
    if description is not None:
        group.description = description
    ctx.session.flush()
    audit.record(
        ctx,
        action="group.rename" if group.name != before else "group.update",
        target_type="group",
        target_id=str(group.id),
        summary={"before": before, "after": group.name},
    )
    return _view(ctx, group)


def delete_group(ctx: Context, *, group_id: int) -> None:
    _lock(ctx, group_id)
    group = _group(ctx, group_id)
    subjects = repository.members(ctx.session, group_id)
    before = effective_roles(ctx, subjects=subjects)
    repository.delete_group(ctx.session, group_id)
    ctx.session.flush()
    _after_change(ctx, before=before, after=effective_roles(ctx, subjects=subjects))
    audit.record(
        ctx,
        action="group.delete",
        target_type="group",
        target_id=str(group_id),
        summary={"name": group.name, "members": len(subjects)},
    )


def add_member(ctx: Context, *, group_id: int, subject: str) -> GroupView:
    _lock(ctx, group_id)
    group = _group(ctx, group_id)
    try:
        ctx.ory.kratos.get_identity(subject)
    except (ory_errors.NotFound, ory_errors.ValidationFailed):
        raise NotFound(f"There is no user {subject!r}.") from None
    if repository.add_member(ctx.session, group_id, subject):
        ctx.session.flush()
        audit.record(
            ctx,
            action="group.add_member",
            target_type="group",
            target_id=str(group_id),
            summary={"name": group.name, "subject": subject},
        )
    return _view(ctx, group)


def remove_member(ctx: Context, *, group_id: int, subject: str) -> GroupView:
    _lock(ctx, group_id)
    group = _group(ctx, group_id)
    before = effective_roles(ctx, subjects=[subject])
    if not repository.remove_member(ctx.session, group_id, subject):
        raise NotFound(f"{subject!r} is not a member of {group.name!r}.")
    ctx.session.flush()
    _after_change(ctx, before=before, after=effective_roles(ctx, subjects=[subject]))
    audit.record(
        ctx,
        action="group.remove_member",
        target_type="group",
        target_id=str(group_id),
        summary={"name": group.name, "subject": subject},
    )
    return _view(ctx, group)


def set_grant(ctx: Context, *, group_id: int, app_slug: str, role: str | None) -> GroupView:
    """Grant `role` on one app to every member (None removes the grant)."""
    _lock(ctx, group_id)
    group = _group(ctx, group_id)
    app = apps_repository.get_by_slug(ctx.session, app_slug)
    if app is None:
        raise NotFound(f"There is no app {app_slug!r}.")
    roles = roles_repository.roles_by_name(ctx.session)
    if role is not None and role not in roles:
        raise Unprocessable(f"There is no role {role!r}.")
    subjects = repository.members(ctx.session, group_id)
    before = effective_roles(ctx, subjects=subjects, app_ids=[app.id])
    if role is None:
        if not repository.remove_grant(ctx.session, group_id, app.id):
            raise NotFound(f"{group.name!r} grants nothing on {app_slug!r}.")
    else:
        repository.grant(ctx.session, group_id, app.id, roles[role].id)
    ctx.session.flush()
    _after_change(
        ctx,
        before=before,
        after=effective_roles(ctx, subjects=subjects, app_ids=[app.id]),
    )
    audit.record(
        ctx,
        action="group.remove_grant" if role is None else "group.set_grant",
        target_type="group",
        target_id=str(group_id),
        summary={"name": group.name, "app": app.slug, "role": role},
    )
    return _view(ctx, group)
