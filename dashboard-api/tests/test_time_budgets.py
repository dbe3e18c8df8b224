"""No SQL statement and no COMMIT after the request's deadline, on a real SQLite database."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from dashboard_api.db import Database, DatabaseTimeouts, RequestOutOfTime
from sqlalchemy import text
from stackspin_clients import request_deadline


@pytest.fixture
def database(tmp_path: Path) -> Database:
    database = Database.from_url(f"sqlite:///{tmp_path / 'budget.sqlite3'}", DatabaseTimeouts())
    with database.transaction() as session:
        session.execute(text("CREATE TABLE t (v INTEGER)"))
    return database


def _rows(database: Database) -> list[int]:
    with database.transaction() as session:
        return [row[0] for row in session.execute(text("SELECT v FROM t"))]


def _insert(database: Database, value: int, *, then_wait: float = 0) -> None:
    with database.transaction() as session:
        session.execute(text("INSERT INTO t VALUES (:v)"), {"v": value})
        time.sleep(then_wait)  # a slow Kratos call, say


def test_a_transaction_whose_request_ran_out_of_time_is_rolled_back(database: Database) -> None:
    # The proxy has stopped waiting by the time the work is done: nothing is committed.
    with request_deadline(0.2), pytest.raises(RequestOutOfTime):
        _insert(database, 1, then_wait=0.3)
    assert _rows(database) == []


def test_no_statement_starts_after_the_deadline(database: Database) -> None:
    with request_deadline(0), pytest.raises(RequestOutOfTime):
        _insert(database, 2)
    assert _rows(database) == []


def test_within_the_deadline_the_transaction_commits(database: Database) -> None:
    with request_deadline(5), database.transaction() as session:
        session.execute(text("INSERT INTO t VALUES (3)"))
    assert _rows(database) == [3]
