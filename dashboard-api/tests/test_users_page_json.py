"""The users page is serialised from plain rows (`identities.UserRow`), not from models: the
same JSON as `Page[User]`, field for field."""

from __future__ import annotations

import json

from dashboard_api.actors import Actor
from dashboard_api.context import Context
from dashboard_api.roles import service as roles
from dashboard_api.users import identities, listing
from dashboard_api.users.schemas import AppRole, User


def test_a_user_row_has_the_fields_of_a_user_in_their_order() -> None:
    assert list(identities.UserRow.__annotations__) == list(User.model_fields)
    assert list(identities.AppRoleRow.__annotations__) == list(AppRole.model_fields)


def test_the_users_page_answers_what_page_of_user_models_would(
    admin, database, ory_clients, settings, make_identity
) -> None:
    with database.transaction() as session:
        ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.system())
        for _ in range(3):
            roles.set_role(ctx, subject=make_identity(), app_slug="dashboard", role="user")
    pages = {}
    for limit in (2, 500):
        answer = admin.client.get("/api/v1/users", params={"limit": limit})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/json"
        with database.transaction(read_only=True) as session:
            ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.system())
            rows = listing.list_users(ctx, limit=limit)
            models, raw = listing.as_page(rows), listing.as_json(rows)
        expected = json.loads(models.model_dump_json())
        assert json.loads(raw) == expected
        assert answer.json() == expected
        pages[limit] = expected
    assert len(pages[2]["items"]) == 2
    assert pages[2]["next_cursor"]
    assert sum(1 for item in pages[500]["items"] if item["roles"]) >= 3
