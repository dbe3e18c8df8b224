"""MariaDB connections come back to the pool as they left it, without a ROLLBACK after a
committed unit of work (a round trip per request), and rolled back whenever a transaction may
still be open."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from dashboard_api.db import Database, make_engine
from sqlalchemy import Connection, Engine, text

# MariaDB's pool only: there is nothing of this on SQLite to skip.
pytestmark = pytest.mark.parametrize("database_url", ["mariadb"], indirect=True)


@pytest.fixture
def mariadb(migrated_url: str) -> str:
    return migrated_url


@pytest.fixture
def one_connection(mariadb: str) -> Iterator[Engine]:
    """An engine whose pool holds one connection, so every checkout is the same server session."""
    engine = make_engine(mariadb, pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


def _rollbacks(engine: Engine) -> int:
    """ROLLBACKs the server has seen on the pool's connection (reading it adds none)."""
    with engine.connect() as connection:
        row = connection.exec_driver_sql("SHOW SESSION STATUS LIKE 'Com_rollback'").one()
        connection.commit()
    return int(row[1])


def _in_transaction(connection: Connection) -> int:
    return int(connection.exec_driver_sql("SELECT @@in_transaction").scalar_one())


def test_a_committed_unit_of_work_costs_no_rollback(one_connection: Engine) -> None:
    database = Database(one_connection)
    before = _rollbacks(one_connection)
    for read_only in (True, False):
        with database.transaction(read_only=read_only) as session:
            session.execute(text("SELECT COUNT(*) FROM apps"))
    assert _rollbacks(one_connection) == before


def test_sqlalchemys_own_reset_would_send_one(mariadb: str) -> None:
    # The round trip saved: the same unit with the pool's default reset.
    engine = make_engine(mariadb, pool_size=1, max_overflow=0, pool_reset_on_return="rollback")
    try:
        before = _rollbacks(engine)
        with Database(engine).transaction() as session:
            session.execute(text("SELECT COUNT(*) FROM apps"))
        # One after the unit, one after the first reading (its COMMIT is not enough either).
        assert _rollbacks(engine) == before + 2
    finally:
        engine.dispose()


def _failing_unit(database: Database) -> None:
    with database.transaction() as session:
        session.execute(text("SELECT COUNT(*) FROM apps FOR UPDATE"))
        raise RuntimeError("the endpoint failed")


def test_a_unit_that_fails_is_rolled_back_once(one_connection: Engine) -> None:
    before = _rollbacks(one_connection)
    with pytest.raises(RuntimeError):
        _failing_unit(Database(one_connection))
    assert _rollbacks(one_connection) == before + 1
    with one_connection.connect() as connection:
        assert _in_transaction(connection) == 0


def test_a_connection_given_back_in_a_transaction_is_rolled_back(one_connection: Engine) -> None:
    raw: Any = one_connection.raw_connection()  # the DBAPI connection: SQLAlchemy sees no BEGIN
    with raw.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM apps FOR UPDATE")
        cursor.execute("SELECT @@in_transaction")
        assert cursor.fetchone() == (1,)
    raw.close()
    with one_connection.connect() as connection:
        assert _in_transaction(connection) == 0


def test_a_connection_closed_with_its_transaction_open_is_rolled_back(
    one_connection: Engine,
) -> None:
    connection = one_connection.connect()
    connection.exec_driver_sql("SELECT COUNT(*) FROM apps FOR UPDATE")
    connection.close()
    with one_connection.connect() as again:
        assert _in_transaction(again) == 0
