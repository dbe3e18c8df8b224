"""Revoke what a lowered role leaves usable: the Hydra consent sessions of the app's clients.

Hydra revokes a consent session's access and refresh tokens with it, so the person's next
refresh fails and their next sign-in asks dashboard-api for a decision again.

Ordering: call this after the database change is flushed and before the unit of work
commits. A Hydra failure then raises (503 through the Ory error handler), the unit of work
rolls back, and the person keeps the role as before: nothing is left half done or silently
alive. Revoking before the commit leaves a window in which a consent accepted from the not yet
committed roles would keep the old role, so the same revocations run once more after the
commit (`db.after_commit`; a failure there is logged).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from contextlib import suppress
from functools import partial

from stackspin_clients import errors as ory_errors

from dashboard_api.access import repository
from dashboard_api.context import Context
from dashboard_api.db import after_commit
from dashboard_api.roles.models import RANK  # a role not ranked counts as changed

log = logging.getLogger(__name__)

# subject -> app id -> role name (roles.effective.effective_roles' shape)
RoleMap = Mapping[str, Mapping[int, str]]


def lowered(*, before: RoleMap, after: RoleMap) -> dict[str, set[int]]:
    """subject -> the apps whose role was removed or changed to one that is not higher."""
    result: dict[str, set[int]] = {}
    for subject, apps in before.items():
        now = after.get(subject, {})
        for app_id, role in apps.items():
            new = now.get(app_id)
            if new == role:
                continue
            if new is not None and RANK.get(new, 0) > RANK.get(role, 0) > 0:
                continue  # raised: the old claims said less than the new role grants
            result.setdefault(subject, set()).add(app_id)
    return result


def revoke_lowered_access(ctx: Context, *, before: RoleMap, after: RoleMap) -> dict[str, list[str]]:
    """Revoke the consents of `before`'s subjects for the clients of apps where their role was
    removed or lowered in `after`; returns subject -> the client ids revoked."""
    pairs = lowered(before=before, after=after)
    if not pairs:
        return {}
    clients = repository.client_ids_by_app(
        ctx.session, {a for apps in pairs.values() for a in apps}
    )
    plan = {
        subject: sorted({c for app_id in apps for c in clients.get(app_id, [])})
        for subject, apps in pairs.items()
    }
    plan = {subject: ids for subject, ids in plan.items() if ids}
    revoke_consents(ctx, plan)
    after_commit(ctx.session, partial(_again, ctx, plan))
    return plan


def revoke_consents(ctx: Context, plan: Mapping[str, Collection[str]]) -> None:
    """Revoke each subject's consents of those clients (raises on a Hydra failure)."""
    for subject, client_ids in plan.items():
        for client_id in client_ids:
            with suppress(ory_errors.NotFound):  # nothing to revoke (or the client is gone)
                ctx.ory.hydra.revoke_consent_sessions(subject, client=client_id)
        ctx.forget_tokens_of(subject)


def _again(ctx: Context, plan: Mapping[str, Collection[str]]) -> None:
    try:
        revoke_consents(ctx, plan)
    except ory_errors.OryError as exc:
        log.error("could not revoke consents again after the commit: %s", exc)
