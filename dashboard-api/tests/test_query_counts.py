"""A page of users (and the app lists) costs the same number of Kratos calls and SQL
statements whatever the number of users: no call or query per user."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from dashboard_api.actors import Actor
from dashboard_api.apps import service as apps
from dashboard_api.apps.schemas import AppCreate
from dashboard_api.context import Context
from dashboard_api.roles import service as roles
from sqlalchemy import event


@contextmanager
def counting(engine, ory) -> Iterator[dict[str, int]]:
    """SQL statements (SQLAlchemy events) and requests the Kratos stand-in received."""
    result = {"sql": 0, "kratos": 0}
    statements: list[str] = []

    def before(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    ory.kratos_calls.clear()
    try:
        yield result
    finally:
        event.remove(engine, "before_cursor_execute", before)
        result["sql"] = len(statements)
        result["kratos"] = sum(ory.kratos_calls.counts().values())


def _add_users(database, ory_clients, settings, make_identity, count: int, slug: str) -> None:
    with database.transaction() as session:
        ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.system())
        for _ in range(count):
            roles.set_role(ctx, subject=make_identity(), app_slug=slug, role="user")


def test_a_page_of_users_costs_constant_calls_and_queries(
    admin, engine, ory, database, ory_clients, settings, make_identity
) -> None:
    with database.transaction() as session:
        ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.system())
        apps.create_app(ctx, data=AppCreate(slug="counted", name="Counted"))

    costs = []
    for extra in (3, 30):
        _add_users(database, ory_clients, settings, make_identity, extra, "counted")
        for params in ({"limit": 500}, {"limit": 500, "app": "counted", "role": "user"}):
            with counting(engine, ory) as cost:
                page = admin.client.get("/api/v1/users", params=params)
            assert page.status_code == 200, page.text
            costs.append(
                (params.get("app"), len(page.json()["items"]), cost["sql"], cost["kratos"])
            )
    small_all, small_app, large_all, large_app = costs
    assert large_app[1] == small_app[1] + 30
    # Same cost with 10x the users: one Kratos call, a fixed handful of statements.
    assert (small_all[2], small_all[3]) == (large_all[2], large_all[3])
    assert (small_app[2], small_app[3]) == (large_app[2], large_app[3])
    assert small_all[3] == 1
    assert small_app[3] == 1


def test_app_lists_cost_constant_queries(
    admin, member, engine, ory, database, ory_clients, settings
) -> None:
    costs = []
    for batch in (("a1", "a2"), ("b1", "b2", "b3", "b4", "b5", "b6")):
        with database.transaction() as session:
            ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.system())
            for slug in batch:
                apps.create_app(ctx, data=AppCreate(slug=slug, name=slug))
                roles.set_role(ctx, subject=member.subject, app_slug=slug, role="user")
        with counting(engine, ory) as everyone:
            assert admin.client.get("/api/v1/apps").status_code == 200
        with counting(engine, ory) as mine:
            assert member.client.get("/api/v1/me/apps").status_code == 200
        costs.append((everyone["sql"], mine["sql"], everyone["kratos"] + mine["kratos"]))
    assert costs[0] == costs[1]
    assert costs[0][2] == 0


def test_effective_roles_through_groups_cost_constant_queries(
    admin, member, engine, ory, database, ory_clients, settings, make_identity
) -> None:
    """Grants through groups (overlapping the direct roles) add no query per user or app."""
    from dashboard_api.groups import service as groups

    with database.transaction() as session:
        ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.system())
        apps.create_app(ctx, data=AppCreate(slug="grouped", name="Grouped"))
        gid = groups.create_group(ctx, name="counted-admins").group.id
        groups.set_grant(ctx, group_id=gid, app_slug="grouped", role="admin")
    costs = []
    for extra in (3, 30):
        with database.transaction() as session:
            ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.system())
            for _ in range(extra):
                subject = make_identity()
                roles.set_role(ctx, subject=subject, app_slug="grouped", role="user")
                groups.add_member(ctx, group_id=gid, subject=subject)
            for n in range(extra // 3):
                slug = f"grouped-{extra}-{n}"
                apps.create_app(ctx, data=AppCreate(slug=slug, name=slug))
                groups.set_grant(ctx, group_id=gid, app_slug=slug, role="user")
            if extra == 3:
                groups.add_member(ctx, group_id=gid, subject=member.subject)
        params = {"limit": 500, "app": "grouped", "role": "admin"}
        with counting(engine, ory) as listing:
            page = admin.client.get("/api/v1/users", params=params)
        assert page.status_code == 200, page.text
        with counting(engine, ory) as mine:
            my_apps = member.client.get("/api/v1/me/apps").json()
        assert ("grouped", "admin") in [(a["slug"], a["role"]) for a in my_apps]
        costs.append(
            (
                len(page.json()["items"]),
                listing["sql"],
                listing["kratos"],
                mine["sql"],
                len(my_apps),
            )
        )
    (small_n, *small), (large_n, *large) = costs
    assert large_n == small_n + 30  # every member counts as admin: the group's role wins
    assert small[3] < large[3]  # more apps through the group ...
    assert small[:3] == large[:3]  # ... at the same cost
    assert small[1] == 1  # one Kratos call for the page


def test_a_batch_import_costs_the_same_statements_for_5_or_50_users(
    admin, engine, ory, database, ory_clients, settings
) -> None:
    """Each person with roles on two apps and an audit entry: no statement per person."""
    with database.transaction() as session:
        ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.system())
        for slug in ("imported-a", "imported-b"):
            apps.create_app(ctx, data=AppCreate(slug=slug, name=slug))
    costs = []
    run = uuid.uuid4().hex[:8]  # the Kratos stand-in outlives each database's run
    for size in (5, 50):
        users = [
            {
                "email": f"batch-{run}-{size}-{n}@example.org",
                "name": f"Batch {n}",
                "roles": [
                    {"app": "imported-a", "role": "user"},
                    {"app": "imported-b", "role": "admin"},
                ],
            }
            for n in range(size)
        ]
        with counting(engine, ory) as cost:
            answer = admin.client.post("/api/v1/users/batch", json={"users": users})
        assert answer.status_code == 200, answer.text
        assert answer.json()["created"] == size
        costs.append((cost["sql"], cost["kratos"]))
    assert costs[0] == costs[1], costs
    created = admin.client.get("/api/v1/users", params={"app": "imported-b", "role": "admin"})
    assert len(created.json()["items"]) == 55


def test_a_search_page_costs_constant_calls_and_queries(admin, engine, ory) -> None:
    """A page of a search is one Kratos call (the page's identities by id) and a fixed number
    of statements, with 3 matches or 33, on the first page or a later one."""
    run = uuid.uuid4().hex[:8]
    costs = []
    made = 0
    for extra in (3, 30):
        users = [
            {"email": f"s{made + n}-{run}@example.org", "name": f"Counted Searchable{run}"}
            for n in range(extra)
        ]
        made += extra
        assert admin.client.post("/api/v1/users/batch", json={"users": users}).status_code == 200
        params: dict[str, str | int] = {"q": f"searchable{run}", "limit": 500}
        with counting(engine, ory) as cost:
            page = admin.client.get("/api/v1/users", params=params)
        assert page.status_code == 200, page.text
        assert len(page.json()["items"]) == made
        with counting(engine, ory) as later:
            second = admin.client.get("/api/v1/users", params={**params, "limit": 2})
            rest = admin.client.get(
                "/api/v1/users", params={**params, "cursor": second.json()["next_cursor"]}
            )
        assert len(rest.json()["items"]) == made - 2
        costs.append((cost["sql"], cost["kratos"], later["sql"], later["kratos"]))
    assert costs[0] == costs[1], costs
    assert costs[0][1] == 1
    assert costs[0][3] == 2


def test_a_dry_run_and_an_import_of_known_people_ask_kratos_nothing_per_row(
    admin, engine, ory
) -> None:
    """Which emails and usernames are taken comes from the search projection in one query:
    the Kratos calls of a dry run (none) and of an import whose rows conflict are the same for
    5 rows or 50."""
    run = uuid.uuid4().hex[:8]
    costs = []
    for size in (5, 50):
        known = [{"email": f"k{n}-{size}-{run}@example.org"} for n in range(size)]
        assert admin.client.post("/api/v1/users/batch", json={"users": known}).status_code == 200
        taken_name = [
            {"email": f"t{n}-{size}-{run}@example.org", "username": f"k{n}{size}{run}"}
            for n in range(size)
        ]
        first = admin.client.post(
            "/api/v1/users/batch",
            json={"users": [{**t, "email": f"o-{t['email']}"} for t in taken_name]},
        )
        assert first.json()["created"] == size, first.text
        rows = known + taken_name
        with counting(engine, ory) as dry:
            preview = admin.client.post(
                "/api/v1/users/batch", params={"dry_run": "true"}, json={"users": rows}
            ).json()
        with counting(engine, ory) as real:
            done = admin.client.post("/api/v1/users/batch", json={"users": rows}).json()
        for answer in (preview, done):
            assert [r["status"] for r in answer["results"]] == ["exists"] * size + ["failed"] * size
            assert {r["error"] for r in answer["results"][size:]} == {"username taken"}
        costs.append((dry["sql"], dry["kratos"], real["sql"], real["kratos"]))
    assert costs[0] == costs[1], costs
    assert costs[0][1] == 0
