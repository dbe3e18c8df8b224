"""Query plans MariaDB must not choose on its own: a page's role assignments are read from the
page's subjects, and a search walks its range of terms, each a range on the primary key,
however the tables' statistics look."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from dashboard_api.db import Database
from dashboard_api.models import App, Role, UserAppRole
from dashboard_api.roles import repository
from dashboard_api.search import repository as search_repository
from dashboard_api.search.terms import entry_from
from sqlalchemy import event, insert, select

# MariaDB's plans only: there is nothing of this on SQLite to skip.
pytestmark = pytest.mark.parametrize("database_url", ["mariadb"], indirect=True)


def _explained(database: Database, run: Any, table: str) -> list[tuple[Any, ...]]:
    """The rows of EXPLAIN for the statement on `table` that `run(session)` sends."""
    sent: list[tuple[str, Any]] = []

    def before(conn, cursor, statement, parameters, *args) -> None:
        sent.append((statement, parameters))

    with database.session(read_only=True) as session:
        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", before)
        try:
            run(session)
        finally:
            event.remove(engine, "before_cursor_execute", before)
        ((statement, parameters),) = [s for s in sent if table in s[0]]
        cursor = session.connection().connection.cursor()
        cursor.execute("EXPLAIN " + statement, parameters)
        return [tuple(row) for row in cursor.fetchall()]


def test_a_pages_assignments_start_from_its_subjects(database: Database) -> None:
    subjects = sorted(str(uuid.uuid4()) for _ in range(3000))
    with database.transaction() as session:
        app_id = session.scalar(select(App.id).where(App.slug == "dashboard"))
        role_id = session.scalar(select(Role.id).where(Role.name == "user"))
        session.execute(
            insert(UserAppRole),
            [{"subject": s, "app_id": app_id, "role_id": role_id} for s in subjects],
        )
    found: dict[str, Any] = {}

    def read(session: Any) -> None:
        found.update(repository.assignments_for(session, subjects[100:200]))

    first = _explained(database, read, "user_app_roles")[0]
    assert sorted(found) == subjects[100:200]
    table, key = first[2], first[5]
    assert (table, key) == ("user_app_roles", "PRIMARY")


def test_a_search_walks_the_terms_from_its_needle(database: Database) -> None:
    run = f"p{uuid.uuid4().hex[:6]}"
    people = [
        entry_from(
            f"{run}-{n:04}", {"email": f"{run}{n}@example.org", "name": f"{run} {n}"}, "active"
        )
        for n in range(2000)
    ]
    with database.transaction() as session:
        search_repository.replace(session, people)
    listed: list[Any] = []

    def search(session: Any) -> None:
        listed.extend(search_repository.page(session, f"{run} 1", limit=100)[0])

    first = _explained(database, search, "user_search_terms")[0]
    assert len(listed) == 100
    table, kind, key = first[2], first[3], first[5]
    assert (table, kind, key) == ("user_search_terms", "range", "PRIMARY")

    def search_with_roles(session: Any) -> None:
        search_repository.page_with_roles(session, f"{run} 1", limit=100)

    # The page is read first (a derived table over that range), then each person's roles.
    plan = {
        row[2]: (row[3], row[5])
        for row in _explained(database, search_with_roles, "user_search_terms")
    }
    assert plan["user_search_terms"] == ("range", "PRIMARY")
    assert plan["user_app_roles"][1] == "PRIMARY"
