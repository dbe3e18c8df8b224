"""Which trait made Kratos refuse an identity as taken: email and username are both Kratos
password identifiers, unique whatever their case, so a 409 alone does not say which."""

from __future__ import annotations

from dashboard_api.context import Context
from dashboard_api.errors import Conflict


def duplicate_email(email: str) -> Conflict:
    return Conflict(f"A user with the email address {email} already exists.", field="email")


def duplicate_username(username: str) -> Conflict:
    return Conflict(f"The username {username} is taken.", field="username")


def held_by_other(ctx: Context, identifier: str, subject: str | None) -> bool:
    """Another identity than `subject` has this identifier (Kratos matches it lower-cased)."""
    page = ctx.ory.kratos.list_identities(page_size=1, credentials_identifier=identifier)
    return any(i.id != subject for i in page.identities)


def conflict_for(
    ctx: Context, *, email: str | None, username: str | None, subject: str | None = None
) -> Conflict:
    """The 409 naming the field that is taken (the email when it cannot be told)."""
    email_held = bool(email) and held_by_other(ctx, email or "", subject)
    if username and not email_held and held_by_other(ctx, username, subject):
        return duplicate_username(username)
    return duplicate_email(email or "this email")
