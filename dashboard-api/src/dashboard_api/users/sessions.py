"""A person's sessions: listing and ending them in Kratos, Hydra and here."""

from __future__ import annotations

import logging
from contextlib import suppress

from stackspin_clients import errors as ory_errors

from dashboard_api.access import sessions as hydra_sessions
from dashboard_api.audit import service as audit
from dashboard_api.auth import repository as auth_repository
from dashboard_api.context import Context
from dashboard_api.errors import NotFound
from dashboard_api.users.reading import get_identity
from dashboard_api.users.schemas import (
    UserSession,
)

log = logging.getLogger(__name__)


def end_hydra_sessions(ctx: Context, subject: str) -> None:
    """Hydra revokes the subject's tokens with its consent sessions (relying parties get a
    back-channel logout); forget cached answers."""
    hydra_sessions.end_hydra_sessions(ctx, subject)


def end_sessions(ctx: Context, subject: str) -> None:
    with suppress(ory_errors.NotFound):  # Kratos answers 404 when there was no session
        ctx.ory.kratos.delete_identity_sessions(subject)
    end_hydra_sessions(ctx, subject)
    auth_repository.delete_sessions_of(ctx.session, subject)


def revoke_sessions(ctx: Context, *, subject: str) -> None:
    get_identity(ctx, subject=subject)
    end_sessions(ctx, subject)
    audit.record(
        ctx,
        action="user.revoke_sessions",
        target_type="user",
        target_id=subject,
    )


def end_session(ctx: Context, *, subject: str, session_id: str) -> None:
    """End one Kratos session of the person (that browser must sign in again); 404 when the
    session is not theirs, so an admin cannot end a stranger's session by a wrong path."""
    get_identity(ctx, subject=subject)
    try:
        theirs = {s.id for s in ctx.ory.kratos.list_identity_sessions(subject)}
    except ory_errors.NotFound:
        theirs = set()
    if session_id not in theirs:
        raise NotFound(f"The user {subject!r} has no session {session_id!r}.")
    with suppress(ory_errors.NotFound):  # ended meanwhile: the outcome asked for
        ctx.ory.kratos.disable_session(session_id)
    audit.record(
        ctx,
        action="user.end_session",
        target_type="user",
        target_id=subject,
        summary={"session_id": session_id},
    )


def list_sessions(ctx: Context, *, subject: str) -> list[UserSession]:
    get_identity(ctx, subject=subject)
    try:
        sessions = ctx.ory.kratos.list_identity_sessions(subject)
    except ory_errors.NotFound:
        sessions = []
    return [
        UserSession(
            id=s.id,
            active=s.active,
            authenticated_at=s.authenticated_at,
            expires_at=s.expires_at,
            aal=s.authenticator_assurance_level,
            methods=[m.method for m in s.authentication_methods or [] if m.method],
        )
        for s in sessions
    ]
