"""Mapping between Kratos identities and the users API (traits: email, name, username)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import TypeAdapter
from stackspin_clients.models import Identity, IdentitySummary
from typing_extensions import TypedDict  # pydantic reads typing's only from Python 3.12

from dashboard_api.users.schemas import User

# Marks identities dashboard-api created, so a create whose database write never
# committed can be recognised and finished by a retry instead of blocking the email.
CREATED_BY = {"created_by": "dashboard-api"}
# metadata_admin key naming the write intent of the request that made the identity.
INTENT = "intent"

#: What a user is made from: a whole identity, or the summary a page of them is read as.
Listed = Identity | IdentitySummary


def traits_of(identity: Listed) -> dict[str, Any]:
    return dict(identity.traits or {})


def email_of(identity: Listed) -> str | None:
    value = traits_of(identity).get("email")
    return value if isinstance(value, str) else None


def new_traits(email: str, name: str | None, username: str | None) -> dict[str, Any]:
    traits: dict[str, Any] = {"email": email}
    if name is not None:
        traits["name"] = name
    if username is not None:
        traits["username"] = username
    return traits


def created_metadata(intent_token: str) -> dict[str, Any]:
    """metadata_admin for an identity we create under the write intent `intent_token`."""
    return {**CREATED_BY, INTENT: intent_token}


def intent_of(identity: Identity) -> str | None:
    """The token of the write intent the identity was created (or adopted) under."""
    meta = identity.metadata_admin
    token = meta.get(INTENT) if isinstance(meta, dict) else None
    return token if isinstance(token, str) else None


def created_by_us(identity: Identity) -> bool:
    meta = identity.metadata_admin
    return isinstance(meta, dict) and meta.get("created_by") == CREATED_BY["created_by"]


class AppRoleRow(TypedDict):
    app: str
    role: str


class UserRow(TypedDict):
    """A `User` as plain data, field for field: what a page of users is serialised from
    without building a model per user and per role."""

    id: str
    email: str | None
    name: str | None
    username: str | None
    state: str
    email_verified: bool
    created_at: datetime | None
    roles: list[AppRoleRow]


def user_row(identity: Listed, roles: list[tuple[str, str]]) -> UserRow:
    """Runs for every person on a page: reads the traits in place, builds literals."""
    traits = identity.traits or {}
    email, name, username = traits.get("email"), traits.get("name"), traits.get("username")
    if not isinstance(email, str):
        email = None
    verified = any(
        a.verified for a in identity.verifiable_addresses or () if email is None or a.value == email
    )
    return {
        "id": identity.id,
        "email": email,
        "name": name if isinstance(name, str) else None,
        "username": username if isinstance(username, str) else None,
        "state": identity.state or "active",
        "email_verified": verified,
        "created_at": identity.created_at,
        "roles": [{"app": app, "role": role} for app, role in roles],
    }


# One validator for a whole page: a pydantic call per user and per role cost more than the rest.
_USERS = TypeAdapter(list[User])


def users_of(rows: list[UserRow]) -> list[User]:
    """Rows → users, validated in one call."""
    return _USERS.validate_python(rows)


def to_user(identity: Identity, roles: list[tuple[str, str]]) -> User:
    return users_of([user_row(identity, roles)])[0]
