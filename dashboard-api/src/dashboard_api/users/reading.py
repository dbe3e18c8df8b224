"""Reading one user: the Kratos identity with their roles here."""

from __future__ import annotations

import logging

from stackspin_clients import errors as ory_errors
from stackspin_clients.models import Identity

from dashboard_api.auth.schemas import Principal
from dashboard_api.context import Context
from dashboard_api.errors import NotFound, Unauthenticated
from dashboard_api.roles import repository as roles_repository
from dashboard_api.users import identities
from dashboard_api.users.schemas import (
    Me,
    User,
)

log = logging.getLogger(__name__)


def get_identity(ctx: Context, *, subject: str) -> Identity:
    try:
        return ctx.ory.kratos.get_identity(subject)
    except ory_errors.NotFound as exc:
        raise NotFound(f"There is no user {subject!r}.") from exc
    except ory_errors.ValidationFailed as exc:  # Kratos answers 400 to ids that are no UUID
        raise NotFound(f"There is no user {subject!r}.") from exc


def get_user(ctx: Context, *, subject: str) -> User:
    identity = get_identity(ctx, subject=subject)
    assignments = roles_repository.assignments_for(ctx.session, [subject])
    return identities.to_user(identity, assignments.get(subject, []))


def get_me(ctx: Context, *, principal: Principal) -> Me:
    """The caller as a user, and whether they are an admin as resolving them found (in this
    same transaction: no second query)."""
    try:
        user = get_user(ctx, subject=principal.subject)
    except NotFound as exc:
        raise Unauthenticated("Your account no longer exists.") from exc
    return Me(**user.model_dump(), is_admin=principal.is_admin)


def resolve_subject(ctx: Context, *, email_or_id: str) -> str:
    """The identity id of a person named by their email address (one exact Kratos lookup) or
    by their id; the CLI takes either wherever it names a user."""
    if "@" not in email_or_id:
        return email_or_id
    page = ctx.ory.kratos.list_identities(page_size=1, credentials_identifier=email_or_id)
    if not page.identities:
        raise NotFound(f"There is no user with the email address {email_or_id}.")
    return page.identities[0].id


def describe(user: User) -> str:
    """A person as people name them: `Ada Lovelace <ada@example.org>`, or the address alone."""
    return f"{user.name} <{user.email}>" if user.name else str(user.email or user.id)
