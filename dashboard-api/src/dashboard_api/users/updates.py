"""Changing and deleting users: Kratos patched back if the unit of work does not commit."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial
from typing import Any

from stackspin_clients import errors as ory_errors
from stackspin_clients.models import Identity, JsonPatch

from dashboard_api import locks
from dashboard_api.audit import service as audit
from dashboard_api.auth import repository as auth_repository
from dashboard_api.auth.schemas import Principal
from dashboard_api.context import Context
from dashboard_api.db import on_rollback
from dashboard_api.errors import DomainError, NotFound, Unauthenticated, Unprocessable
from dashboard_api.roles import repository as roles_repository
from dashboard_api.roles import service as roles
from dashboard_api.search import service as search
from dashboard_api.users import identities
from dashboard_api.users.reading import get_identity, get_me
from dashboard_api.users.schemas import (
    Me,
    MeUpdate,
    User,
    UserUpdate,
)
from dashboard_api.users.sessions import end_hydra_sessions, end_sessions
from dashboard_api.users.taken import conflict_for

log = logging.getLogger(__name__)


def _trait_patches(current: Identity, **changes: Any) -> list[JsonPatch]:
    traits = identities.traits_of(current)
    patches = []
    for key, value in changes.items():
        if value is None or traits.get(key) == value:
            continue
        patches.append(JsonPatch(op="add", path=f"/traits/{key}", value=value))
    return patches


def _patch_identity(ctx: Context, subject: str, patches: list[JsonPatch]) -> Identity:
    try:
        return ctx.ory.kratos.patch_identity(subject, patches)
    except ory_errors.Conflict as exc:
        changed = {p.path.removeprefix("/traits/"): p.value for p in patches}
        email, username = changed.get("email"), changed.get("username")
        raise conflict_for(
            ctx,
            email=str(email) if email else None,
            username=str(username) if username else None,
            subject=subject,
        ) from exc
    except ory_errors.ValidationFailed as exc:
        raise Unprocessable(f"Kratos refused the change: {exc.message}") from exc
    except ory_errors.NotFound as exc:
        raise NotFound(f"There is no user {subject!r}.") from exc


def _reverse_patches(before: Identity, patches: Sequence[JsonPatch]) -> list[JsonPatch]:
    """Patches that put back what `patches` changed on `before`."""
    traits = identities.traits_of(before)
    undo = []
    for patch in patches:
        if patch.path == "/state":
            undo.append(JsonPatch(op="replace", path="/state", value=before.state or "active"))
            continue
        key = patch.path.removeprefix("/traits/")
        if key in traits:
            undo.append(JsonPatch(op="add", path=patch.path, value=traits[key]))
        else:
            undo.append(JsonPatch(op="remove", path=patch.path))
    return undo


def _put_back(ctx: Context, before: Identity, patches: Sequence[JsonPatch]) -> None:
    try:
        ctx.ory.kratos.patch_identity(before.id, _reverse_patches(before, patches))
    except ory_errors.OryError as exc:
        log.error("could not undo the change of identity %s: %s", before.id, exc)


def _patch_undoably(ctx: Context, before: Identity, patches: list[JsonPatch]) -> Identity:
    """Patch the identity; if the unit of work then does not commit (its commit failing
    included), patch it back. A lost answer may hide a patch that applied: undone too."""
    try:
        identity = _patch_identity(ctx, before.id, patches)
    except DomainError:
        raise  # Kratos refused the change: nothing to put back
    except BaseException:
        on_rollback(ctx.session, partial(_put_back, ctx, before, patches))
        raise
    on_rollback(ctx.session, partial(_put_back, ctx, before, patches))
    return identity


def update_user(ctx: Context, *, subject: str, data: UserUpdate) -> User:
    # Parallel changes of one person run one after the other: the roles end as one asked for.
    locks.hold(ctx.session, [locks.subject_name(subject)])
    current = get_identity(ctx, subject=subject)
    summary: dict[str, Any] = {}
    if data.roles is not None:
        role_plan = roles.plan(
            ctx, assignments=[(r.app, r.role) for r in data.roles], default_dashboard_user=False
        )
        summary["roles"] = roles.replace(ctx, subject=subject, new_plan=role_plan)
    deactivating = data.state == "inactive" and current.state != "inactive"
    if deactivating:
        roles.ensure_an_admin_remains(ctx, losing=subject)
    patches = _trait_patches(
        current,
        email=str(data.email) if data.email is not None else None,
        name=data.name,
        username=data.username,
    )
    if data.state is not None and data.state != current.state:
        patches.append(JsonPatch(op="replace", path="/state", value=data.state))
        summary["state"] = data.state
    summary["changed"] = sorted({p.path for p in patches})
    audit.record(
        ctx,
        action="user.update",
        target_type="user",
        target_id=subject,
        summary=summary,
    )
    # Surface database errors before Kratos changes; after it, a failure puts Kratos back.
    ctx.session.flush()
    identity = _patch_undoably(ctx, current, patches) if patches else current
    # Written on every update, so one made or changed in Kratos directly is put right too.
    search.index(ctx, identities=[identity])
    if deactivating:
        end_sessions(ctx, subject)
    ctx.session.flush()
    assignments = roles_repository.assignments_for(ctx.session, [subject])
    return identities.to_user(identity, assignments.get(subject, []))


def update_me(ctx: Context, *, principal: Principal, data: MeUpdate) -> Me:
    subject = principal.subject
    # One change of a person at a time, so their search entry ends as Kratos does.
    locks.hold(ctx.session, [locks.subject_name(subject)])
    try:
        current = get_identity(ctx, subject=subject)
    except NotFound as exc:
        raise Unauthenticated("Your account no longer exists.") from exc
    patches = _trait_patches(current, name=data.name, username=data.username)
    if patches:
        audit.record(
            ctx,
            action="user.update_self",
            target_type="user",
            target_id=subject,
            summary={"changed": sorted(p.path for p in patches)},
        )
        ctx.session.flush()  # a database failure surfaces before Kratos changes
        search.index(ctx, identities=[_patch_undoably(ctx, current, patches)])
        ctx.session.flush()
    return get_me(ctx, principal=principal)


def delete_user(ctx: Context, *, subject: str) -> None:
    """Remove the identity, its roles and every session; safe to repeat."""
    locks.hold(ctx.session, [locks.subject_name(subject)])
    roles.ensure_an_admin_remains(ctx, losing=subject)
    removed = roles_repository.delete_for_subject(ctx.session, subject)
    auth_repository.delete_sessions_of(ctx.session, subject)
    search.forget(ctx, subjects=[subject])
    audit.record(
        ctx,
        action="user.delete",
        target_type="user",
        target_id=subject,
        summary={"roles_removed": removed},
    )
    ctx.session.flush()
    try:
        ctx.ory.kratos.delete_identity(subject)  # Kratos drops the identity's sessions with it
    except (ory_errors.NotFound, ory_errors.ValidationFailed) as exc:
        if not removed:
            raise NotFound(f"There is no user {subject!r}.") from exc
    end_hydra_sessions(ctx, subject)
