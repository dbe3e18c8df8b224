"""An invitation's life: mailed (pending), then accepted, expired, or withdrawn; resent."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from stackspin_clients import errors as ory_errors
from stackspin_clients.models import Identity

from dashboard_api import mail, people
from dashboard_api.apps import repository as apps_repository
from dashboard_api.apps.models import DASHBOARD_APP_SLUG
from dashboard_api.audit import service as audit
from dashboard_api.context import Context
from dashboard_api.db import utcnow
from dashboard_api.errors import Conflict, NotFound, Unprocessable
from dashboard_api.invitations import recovery_flows, repository
from dashboard_api.invitations.models import ACCEPTED, PENDING, WITHDRAWN, Invitation
from dashboard_api.invitations.schemas import InvitationOut
from dashboard_api.pagination import Page, decode_cursor, encode_cursor
from dashboard_api.roles import repository as roles_repository
from dashboard_api.users import identities
from dashboard_api.users import invitations as redemption
from dashboard_api.users.reading import get_identity

MAX_PAGE_SIZE = 500


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _mail_code(ctx: Context, identity: Identity, row: Invitation, name: str | None) -> None:
    """A fresh Kratos recovery code for the row's address, noted on the row and mailed."""
    lifetime = ctx.settings.invitation_lifetime
    code = ctx.ory.kratos.create_recovery_code(identity.id, expires_in=f"{lifetime}s")
    # Redeeming this mailed code proves the address; Kratos does not record that for admin codes.
    redemption.record(ctx, identity, row.email, code)
    row.flow_id = redemption.flow_id_of(code)
    row.code_hash = _digest(code.recovery_code)
    row.expires_at = code.expires_at or utcnow() + timedelta(seconds=lifetime)
    ctx.session.flush()
    message = mail.invitation_message(
        ctx.settings,
        to=row.email,
        name=name,
        code=code,
        invited_by=_inviter(ctx),
        apps=_app_names(ctx, row),
        language=row.language,
    )
    mail.send(ctx.settings, message)


def _app_names(ctx: Context, row: Invitation) -> list[str]:
    """The apps the invitation gives, by name (the dashboard itself goes without saying)."""
    slugs = [app for app, _role in row.summary.get("roles", []) if app != DASHBOARD_APP_SLUG]
    names = apps_repository.names_by_slug(ctx.session, slugs)
    return [names.get(slug, slug) for slug in slugs]


def _inviter(ctx: Context) -> str | None:
    """The acting admin's name or address, for the mail; None when not a person (CLI, system)."""
    if ctx.actor.kind != "user":
        return None
    try:
        identity = ctx.ory.kratos.get_identity(ctx.actor.id)
    except ory_errors.OryError:
        return None  # the mail goes out without the name rather than not at all
    return _name_of(identity) or identities.email_of(identity)


def _name_of(identity: Identity) -> str | None:
    name = identities.traits_of(identity).get("name")
    return name if isinstance(name, str) else None


def _withdraw_row(ctx: Context, row: Invitation) -> None:
    if row.flow_id:
        recovery_flows.exhaust(ctx, row.flow_id)
    row.state = WITHDRAWN
    row.withdrawn_at = utcnow()


def mail_invitation(
    ctx: Context, identity: Identity, name: str | None = None, language: str | None = None
) -> Invitation:
    """Invite the identity: earlier pending invitations are withdrawn, a new one is mailed in
    `language` (default DASHBOARD_INVITATION_LANGUAGE).

    The caller audits (user.create with invite, or user.invite)."""
    email = identities.email_of(identity)
    if email is None:
        raise Unprocessable("The user has no email address to invite.")
    for earlier in repository.pending_of(ctx.session, identity.id):
        _withdraw_row(ctx, earlier)
    roles = roles_repository.assignments_for(ctx.session, [identity.id]).get(identity.id, [])
    row = Invitation(
        subject=identity.id,
        email=email,
        invited_by=str(ctx.actor),
        summary={"roles": [[app, role] for app, role in roles]},
        state=PENDING,
        language=language or ctx.settings.invitation_language,
        created_at=utcnow(),
        expires_at=utcnow(),
        code_hash="",
    )
    repository.add(ctx.session, row)
    _mail_code(ctx, identity, row, name if name is not None else _name_of(identity))
    return row


def _found(ctx: Context, invitation_id: int) -> Invitation:
    row = repository.get(ctx.session, invitation_id, for_update=True)
    if row is None:
        raise NotFound("No such invitation.")
    return row


def resend(ctx: Context, *, invitation_id: int, language: str | None = None) -> InvitationOut:
    """Mail a pending or expired invitation again with a new code (in `language`, else its
    own); the old code stops working."""
    row = _found(ctx, invitation_id)
    if row.state != PENDING:
        raise Conflict(f"The invitation is {row.state}; only pending or expired ones are resent.")
    if language is not None:
        row.language = language
    identity = get_identity(ctx, subject=row.subject)
    if identities.email_of(identity) != row.email:
        raise Conflict("The user's address changed since; send a new invitation instead.")
    if row.flow_id:
        recovery_flows.exhaust(ctx, row.flow_id)
    _mail_code(ctx, identity, row, _name_of(identity))
    audit.record(
        ctx,
        action="invitation.resend",
        target_type="user",
        target_id=row.subject,
        summary={"invitation": row.id, "email": row.email, "language": row.language},
    )
    return InvitationOut.of(row, row.state_at(utcnow()))


def withdraw(ctx: Context, *, invitation_id: int) -> InvitationOut:
    """Withdraw a pending (or expired) invitation: its mailed code stops working at once."""
    row = _found(ctx, invitation_id)
    if row.state == ACCEPTED:
        raise Conflict("The invitation was accepted already.")
    if row.state == PENDING:
        _withdraw_row(ctx, row)
        audit.record(
            ctx,
            action="invitation.withdraw",
            target_type="user",
            target_id=row.subject,
            summary={"invitation": row.id, "email": row.email},
        )
    return InvitationOut.of(row, row.state_at(utcnow()))


def list_invitations(
    ctx: Context,
    *,
    limit: int = 100,
    cursor: str | None = None,
    state: str | None = None,
    subject: str | None = None,
) -> Page[InvitationOut]:
    """Newest first, a page at a time (keyset on the id)."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    position = decode_cursor(cursor)
    before = position.get("before")
    if before is not None and not isinstance(before, int):
        raise Unprocessable("The cursor is not one this API handed out.")
    now = utcnow()
    rows = repository.page(
        ctx.session, limit=limit + 1, now=now, before_id=before, state=state, subject=subject
    )
    items = _with_names(ctx, [InvitationOut.of(row, row.state_at(now)) for row in rows[:limit]])
    next_cursor = encode_cursor({"before": rows[limit - 1].id}) if len(rows) > limit else None
    return Page[InvitationOut](items=items, next_cursor=next_cursor)


def _with_names(ctx: Context, items: list[InvitationOut]) -> list[InvitationOut]:
    inviters = {i.id: people.user_id_of_actor(i.invited_by) for i in items}
    wanted = {i.user_id for i in items} | {s for s in inviters.values() if s}
    found = people.resolve(ctx, wanted)
    for item in items:
        if (person := found.get(item.user_id)) is not None:
            item.name = person.name
        inviter = found.get(inviters[item.id] or "")
        if inviter is not None:
            item.invited_by_name = inviter.name or inviter.email
    return items


def latest_of(ctx: Context, *, subject: str) -> Invitation | None:
    rows = repository.page(ctx.session, limit=1, now=utcnow(), subject=subject)
    return rows[0] if rows else None
