"""Roles: who holds what on which app, and the rule that a dashboard admin always remains."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dashboard_api import locks
from dashboard_api.access.revocation import revoke_lowered_access
from dashboard_api.apps import repository as apps_repository
from dashboard_api.apps.models import DASHBOARD_APP_SLUG
from dashboard_api.audit import service as audit
from dashboard_api.context import Context
from dashboard_api.errors import LastAdmin, NotFound, Unprocessable
from dashboard_api.roles import effective, repository
from dashboard_api.roles.models import ADMIN, USER, Role

# app id -> role id
RolePlan = dict[int, int]


def list_roles(ctx: Context) -> Sequence[Role]:
    return repository.list_roles(ctx.session)


def plan(
    ctx: Context, *, assignments: Iterable[tuple[str, str]], default_dashboard_user: bool
) -> RolePlan:
    """Turn (app slug, role name) pairs into ids; unknown apps or roles are the caller's error."""
    found = plan_many(ctx, people=[assignments], default_dashboard_user=default_dashboard_user)[0]
    if isinstance(found, Unprocessable):
        raise found
    return found


def plan_many(
    ctx: Context,
    *,
    people: Sequence[Iterable[tuple[str, str]]],
    default_dashboard_user: bool,
) -> list[RolePlan | Unprocessable]:
    """`plan` for many people at once (two queries in all): a plan or the error, per person."""
    wanted = [list(pairs) for pairs in people]
    slugs = list(dict.fromkeys([s for pairs in wanted for s, _ in pairs] + [DASHBOARD_APP_SLUG]))
    app_ids = apps_repository.slugs_to_ids(ctx.session, slugs)
    roles = repository.roles_by_name(ctx.session)
    dashboard_id = app_ids.get(DASHBOARD_APP_SLUG)
    plans: list[RolePlan | Unprocessable] = []
    for pairs in wanted:
        result: RolePlan = {}
        problem: Unprocessable | None = None
        for slug, role in pairs:
            if slug not in app_ids:
                problem = Unprocessable(f"There is no app {slug!r}.")
                break
            if role not in roles:
                problem = Unprocessable(f"There is no role {role!r}.")
                break
            result[app_ids[slug]] = roles[role].id
        if problem is not None:
            plans.append(problem)
            continue
        if default_dashboard_user and dashboard_id is not None and dashboard_id not in result:
            result[dashboard_id] = roles[USER].id
        plans.append(result)
    return plans


def dashboard_admin_ids(ctx: Context) -> tuple[int, int] | None:
    """(dashboard app id, admin role id), None before the dashboard app exists."""
    return repository.app_and_role_ids(ctx.session, app_slug=DASHBOARD_APP_SLUG, role=ADMIN)


def is_dashboard_admin(ctx: Context, *, subject: str) -> bool:
    """Admin on the dashboard app, directly or through a group (one query: admin is the
    highest role, so holding it anywhere makes it the effective one)."""
    return repository.holds_role_directly_or_by_group(
        ctx.session, subject=subject, app_slug=DASHBOARD_APP_SLUG, role=ADMIN
    )


def ensure_an_effective_admin_is_left(ctx: Context) -> None:
    """After a group change that took dashboard admin from someone: refuse it unless an active
    dashboard admin (direct or through a group) is left."""
    ids = dashboard_admin_ids(ctx)
    if ids is None:
        return
    holders = effective.subjects_page(ctx, limit=500, after=None, app_id=ids[0], role=ADMIN)
    if holders:
        page = ctx.ory.kratos.list_identities(page_size=len(holders), ids=holders)
        if any(identity.state in (None, "active") for identity in page.identities):
            return
    raise LastAdmin("This would leave no active dashboard admin; make someone else admin first.")


def ensure_an_admin_remains(ctx: Context, *, losing: str) -> None:
    """Refuse a change that takes the dashboard admin role (or activity) from the last admin.

    Only active identities count: an inactive admin cannot sign in to repair anything.
    """
    ids = dashboard_admin_ids(ctx)
    if ids is None or not is_dashboard_admin(ctx, subject=losing):
        return
    app_id, role_id = ids
    others = [
        s
        for s in repository.lock_holders(ctx.session, app_id=app_id, role_id=role_id)
        if s != losing
    ][:500]
    if others:
        # One Kratos call: which of the other admins can still sign in.
        page = ctx.ory.kratos.list_identities(page_size=len(others), ids=others)
        if any(identity.state in (None, "active") for identity in page.identities):
            return
    raise LastAdmin(
        "This is the last active dashboard admin; make someone else admin first.",
    )


def replace(ctx: Context, *, subject: str, new_plan: RolePlan) -> dict[str, list[list[str]]]:
    """Make the subject's roles exactly `new_plan`; returns a summary of what changed.

    Reads the current rows and writes the difference, so the caller holds the subject's lock
    (`locks.subject_name`) or made the subject in this transaction: two replaces read-then-diff
    in parallel would otherwise end in a mix of both plans.
    """
    ids = dashboard_admin_ids(ctx)
    if ids is not None:
        app_id, role_id = ids
        if new_plan.get(app_id) != role_id:
            ensure_an_admin_remains(ctx, losing=subject)
    current = repository.role_ids_by_app(ctx.session, subject)
    for app_id in current.keys() - new_plan.keys():
        repository.unassign(ctx.session, subject, app_id)
    for app_id, role_id in new_plan.items():
        if current.get(app_id) != role_id:
            repository.assign(ctx.session, subject, app_id, role_id)
    ctx.session.flush()
    names = {role.id: role.name for role in repository.list_roles(ctx.session)}
    revoke_lowered_access(
        ctx,
        before={subject: {a: names[r] for a, r in current.items()}},
        after={subject: {a: names[r] for a, r in new_plan.items()}},
    )
    return {
        "before": _describe(ctx, current),
        "after": _describe(ctx, new_plan),
    }


def set_role(ctx: Context, *, subject: str, app_slug: str, role: str | None) -> None:
    """Give `role` on one app (None removes access); audited."""
    locks.hold(ctx.session, [locks.subject_name(subject)])
    app = apps_repository.get_by_slug(ctx.session, app_slug)
    if app is None:
        raise NotFound(f"There is no app {app_slug!r}.")
    roles = repository.roles_by_name(ctx.session)
    if role is not None and role not in roles:
        raise Unprocessable(f"There is no role {role!r}.")
    before = repository.role_on_app(ctx.session, subject, app.id)
    if app.slug == DASHBOARD_APP_SLUG and before == ADMIN and role != ADMIN:
        ensure_an_admin_remains(ctx, losing=subject)
    if role is None:
        repository.unassign(ctx.session, subject, app.id)
    else:
        repository.assign(ctx.session, subject, app.id, roles[role].id)
    ctx.session.flush()
    revoke_lowered_access(
        ctx,
        before={subject: {app.id: before}} if before else {},
        after={subject: {app.id: role}} if role else {},
    )
    audit.record(
        ctx,
        action="user.set_role",
        target_type="user",
        target_id=subject,
        summary={"app": app.slug, "before": before, "after": role},
    )


def _describe(ctx: Context, role_plan: RolePlan) -> list[list[str]]:
    if not role_plan:
        return []
    apps = apps_repository.slugs_by_id(ctx.session, role_plan)
    names = {role.id: role.name for role in repository.list_roles(ctx.session)}
    return sorted([apps.get(a, str(a)), names.get(r, str(r))] for a, r in role_plan.items())
