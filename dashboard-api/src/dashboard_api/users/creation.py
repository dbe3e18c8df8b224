"""Creating one user (identity in Kratos, roles here: both or neither) and inviting them."""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import timedelta
from functools import partial
from typing import Any

from stackspin_clients import errors as ory_errors
from stackspin_clients.models import CreateIdentity, Identity, JsonPatch

from dashboard_api.audit import repository as audit_repository
from dashboard_api.audit import service as audit
from dashboard_api.context import Context
from dashboard_api.errors import Conflict, Unprocessable
from dashboard_api.intents import repository as intents_repository
from dashboard_api.intents import service as intents
from dashboard_api.intents.models import IDENTITY
from dashboard_api.invitations import lifecycle
from dashboard_api.roles import repository as roles_repository
from dashboard_api.roles import service as roles
from dashboard_api.search import service as search
from dashboard_api.users import identities, leftovers
from dashboard_api.users.reading import get_identity
from dashboard_api.users.schemas import (
    User,
    UserCreate,
)
from dashboard_api.users.taken import conflict_for

log = logging.getLogger(__name__)


def _standing(ctx: Context, identity: Identity) -> leftovers.Standing:
    token = identities.intent_of(identity)
    # The intent first, roles and audit after: a request whose intent is gone committed its
    # roles with that deletion, so the later reads see them (READ COMMITTED or a snapshot).
    intent = intents_repository.by_tokens(ctx.session, [token]).get(token) if token else None
    return leftovers.standing(
        identity,
        has_roles=roles_repository.has_any_role(ctx.session, identity.id),
        create_recorded=audit_repository.has_entry(
            ctx.session, action="user.create", target_type="user", target_id=identity.id
        ),
        intent=intent,
        now=ctx.now(),
        untracked_min_age=timedelta(0),
    )


def take_over(
    ctx: Context, email: str, traits: dict[str, Any], intent: intents.Intent
) -> Identity | leftovers.Standing:
    """After Kratos refused a create as a duplicate: the identity an earlier create of ours
    left half-made, now with this request's traits and intent — or why it cannot be had."""
    page = ctx.ory.kratos.list_identities(page_size=1, credentials_identifier=email)
    for found in page.identities:
        standing = _standing(ctx, found)
        if standing is not leftovers.Standing.LEFTOVER:
            return standing
        meta = dict(found.metadata_admin) if isinstance(found.metadata_admin, dict) else {}
        earlier = identities.intent_of(found)
        if earlier is not None:  # the earlier request's intent ends with this one
            intents_repository.delete_tokens(ctx.session, [earlier])
        return ctx.ory.kratos.patch_identity(
            found.id,
            [
                JsonPatch(op="replace", path="/traits", value=traits),
                JsonPatch(op="replace", path="/state", value="active"),
                JsonPatch(
                    op="add",
                    path="/metadata_admin",
                    value={**meta, **identities.created_metadata(intent.token)},
                ),
            ],
        )
    return leftovers.Standing.USER  # taken by a username, or deleted meanwhile


def _undo_create(ctx: Context, made: list[str], email: str, token: str) -> bool:
    """Delete what this create made; if its answer never came, find it by email and intent."""
    if not made:
        page = ctx.ory.kratos.list_identities(page_size=1, credentials_identifier=email)
        made = [i.id for i in page.identities if identities.intent_of(i) == token]
    for identity_id in made:
        with suppress(ory_errors.NotFound):
            ctx.ory.kratos.delete_identity(identity_id)
    return True


def _in_flight(email: str) -> Conflict:
    return Conflict(
        f"A create of the user {email} is still under way; try again in a moment.", field="email"
    )


def create_user(ctx: Context, *, data: UserCreate) -> User:
    """Create the identity in Kratos and its roles here: both happen, or neither.

    The write intent is committed first; should the rest fail (the commit included), the
    identity is deleted again, or, with Kratos unreachable for that too, left for a retry of
    the same create to adopt and for `dashboard-api reconcile` to remove.
    """
    role_plan = roles.plan(
        ctx, assignments=[(r.app, r.role) for r in data.roles], default_dashboard_user=True
    )
    email = str(data.email)
    traits = identities.new_traits(email, data.name, data.username)
    (intent,) = intents.begin(ctx, IDENTITY, [email.casefold()])
    made: list[str] = []
    intent.undo = partial(_undo_create, ctx, made, email, intent.token)
    try:
        identity = ctx.ory.kratos.create_identity(
            CreateIdentity(
                traits=traits,
                state="active",
                metadata_admin=identities.created_metadata(intent.token),
            )
        )
    except ory_errors.Conflict as exc:
        taken = take_over(ctx, email, traits, intent)
        if not isinstance(taken, Identity):
            intent.undo = None  # Kratos made nothing for us
            if taken is leftovers.Standing.IN_FLIGHT:
                raise _in_flight(email) from exc
            raise conflict_for(ctx, email=email, username=data.username) from exc
        identity = taken
    except ory_errors.ValidationFailed as exc:
        intent.undo = None
        raise Unprocessable(f"Kratos refused the identity: {exc.message}") from exc
    made.append(identity.id)
    search.index(ctx, identities=[identity])
    roles.replace(ctx, subject=identity.id, new_plan=role_plan)
    audit.record(
        ctx,
        action="user.create",
        target_type="user",
        target_id=identity.id,
        summary={"email": email, "roles": _plan_summary(data), "invite": data.invite},
    )
    intents.settle(ctx, [intent])
    ctx.session.flush()
    if data.invite:
        send_invitation(ctx, identity, data.name, data.language)
    assignments = roles_repository.assignments_for(ctx.session, [identity.id])
    return identities.to_user(identity, assignments.get(identity.id, []))


def _plan_summary(data: UserCreate) -> list[list[str]]:
    return [[r.app, r.role] for r in data.roles]


def send_invitation(
    ctx: Context, identity: Identity, name: str | None, language: str | None = None
) -> int:
    """Mail an invitation (a row in `invitations`); its id."""
    return lifecycle.mail_invitation(ctx, identity, name, language).id


def invite(ctx: Context, *, subject: str, language: str | None = None) -> None:
    identity = get_identity(ctx, subject=subject)
    invitation = send_invitation(ctx, identity, None, language)
    audit.record(
        ctx,
        action="user.invite",
        target_type="user",
        target_id=subject,
        summary={"invitation": invitation},
    )
