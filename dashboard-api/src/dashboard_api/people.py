"""Names for the Kratos identity ids an answer mentions, a page at a time at a constant cost."""

from __future__ import annotations

import re
from collections.abc import Collection

from pydantic import BaseModel, ConfigDict

from dashboard_api.context import Context
from dashboard_api.users import identities

# Kratos's identity list takes at most this many ids in one call.
BATCH = 500
# Kratos ids are UUIDs; anything else (an old or foreign actor id) is not sent to it.
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class PersonRef(BaseModel):
    """Who an id is, as far as Kratos still knows them (a deleted person is missing)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str | None
    email: str | None
    username: str | None


def resolve(ctx: Context, subjects: Collection[str]) -> dict[str, PersonRef]:
    """The people among `subjects` Kratos knows, by id: one Kratos call per BATCH ids."""
    wanted = sorted({s for s in subjects if UUID.fullmatch(s)})
    found: dict[str, PersonRef] = {}
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        page = ctx.ory.kratos.list_identities(page_size=len(chunk), ids=chunk)
        for identity in page.identities:
            traits = identities.traits_of(identity)
            name, username = traits.get("name"), traits.get("username")
            found[identity.id] = PersonRef(
                id=identity.id,
                name=name if isinstance(name, str) else None,
                email=identities.email_of(identity),
                username=username if isinstance(username, str) else None,
            )
    return found


def user_id_of_actor(actor: str) -> str | None:
    """The identity id in an actor string like `user:<id>`; None for the CLI or the system."""
    kind, _, rest = actor.partition(":")
    return rest if kind == "user" and rest else None
