"""Reading one user: the Kratos identity with their roles here."""

from __future__ import annotations

import logging

from stackspin_clients import errors as ory_errors
from stackspin_clients.models import Identity

from dashboard_api.context import Context
from dashboard_api.errors import NotFound, Unauthenticated
from dashboard_api.roles import repository as roles_repository
from dashboard_api.roles import service as roles
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


def get_me(ctx: Context, *, subject: str) -> Me:
    try:
        user = get_user(ctx, subject=subject)
    except NotFound as exc:
        raise Unauthenticated("Your account no longer exists.") from exc
    return Me(**user.model_dump(), is_admin=roles.is_dashboard_admin(ctx, subject))
