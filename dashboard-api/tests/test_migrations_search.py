"""0010 fills `user_search_terms.shared_prefix` from the terms 0009 stored, and goes back."""

from __future__ import annotations

from pathlib import Path

import pytest
from dashboard_api import migrate
from dashboard_api.db import make_engine
from dashboard_api.search.terms import entry_from, shared_prefixes
from devstack.testing import databases
from sqlalchemy import inspect, text


@pytest.mark.parametrize("backend", databases.BACKENDS)
def test_the_shared_prefix_is_filled_from_the_stored_terms(backend: str, tmp_path: Path) -> None:
    people = [
        entry_from(f"s{n}", {"email": f"mia{n}.mills@mail.org", "name": "Mia Mills"}, "active")
        for n in range(3)
    ] + [entry_from("s9", {"email": "ada@example.org"}, "active")]
    with databases.empty_database(backend, tmp_path) as url:
        migrate.upgrade(url, "0009_user_search")
        engine = make_engine(url)
        try:
            with engine.begin() as conn:
                for e in people:
                    conn.execute(
                        text(
                            "INSERT INTO user_search (subject, email, name, state) "
                            "VALUES (:s, :e, :n, 'active')"
                        ),
                        {"s": e.subject, "e": e.email, "n": e.name},
                    )
                    conn.execute(
                        text("INSERT INTO user_search_terms (term, subject) VALUES (:t, :s)"),
                        [{"t": t, "s": e.subject} for t in e.terms()],
                    )
            migrate.upgrade(url, "0010_search_shared_prefix")
            with engine.connect() as conn:
                stored = set(
                    conn.execute(text("SELECT subject, term, shared_prefix FROM user_search_terms"))
                )
            assert stored == {
                (e.subject, term, shared)
                for e in people
                for term, shared in shared_prefixes(e.terms())
            }
            assert any(shared > 0 for _, _, shared in stored)

            migrate.downgrade(url, "0009_user_search")
            columns = {c["name"] for c in inspect(engine).get_columns("user_search_terms")}
            assert columns == {"term", "subject"}
            with engine.connect() as conn:
                kept = set(conn.execute(text("SELECT subject, term FROM user_search_terms")))
            assert kept == {(s, t) for s, t, _ in stored}
        finally:
            engine.dispose()
