"""Query plans MariaDB must not choose on its own: a page's role assignments are read from the
page's subjects (a range on the primary key), however the table's statistics look."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from dashboard_api.db import Database
from dashboard_api.models import App, Role, UserAppRole
from dashboard_api.roles import repository
from sqlalchemy import event, insert, select


def test_a_pages_assignments_start_from_its_subjects(database: Database, settings) -> None:
    if settings.database_url.startswith("sqlite"):
        pytest.skip("a MariaDB plan")
    subjects = sorted(str(uuid.uuid4()) for _ in range(3000))
    with database.transaction() as session:
        app_id = session.scalar(select(App.id).where(App.slug == "dashboard"))
        role_id = session.scalar(select(Role.id).where(Role.name == "user"))
        session.execute(
            insert(UserAppRole),
            [{"subject": s, "app_id": app_id, "role_id": role_id} for s in subjects],
        )
    sent: list[tuple[str, Any]] = []

    def before(conn, cursor, statement, parameters, *args) -> None:
        sent.append((statement, parameters))

    with database.session(read_only=True) as session:
        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", before)
        try:
            found = repository.assignments_for(session, subjects[100:200])
        finally:
            event.remove(engine, "before_cursor_execute", before)
        assert sorted(found) == subjects[100:200]
        ((statement, parameters),) = [s for s in sent if "user_app_roles" in s[0]]
        cursor = session.connection().connection.cursor()
        cursor.execute("EXPLAIN " + statement, parameters)
        first = cursor.fetchall()[0]
    table, key = first[2], first[5]
    assert (table, key) == ("user_app_roles", "PRIMARY")
