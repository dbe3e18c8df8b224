"""Database engine, ORM base and the session factory; the request boundary owns the transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVarTuple

from prometheus_client import Counter
from sqlalchemy import (
    JSON,
    DateTime,
    Engine,
    MetaData,
    Select,
    TypeDecorator,
    create_engine,
    event,
)
from sqlalchemy.engine import Connection, CursorResult, Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import PoolResetState
from stackspin_clients.deadline import deadline_var, request_deadline, seconds_left

from dashboard_api.errors import DependencyUnavailable

log = logging.getLogger(__name__)

# Statements sent, for the per-request query count `make bench` reports beside each row.
Columns = TypeVarTuple("Columns")
STATEMENTS = Counter("dashboard_api_db_statements_total", "SQL statements sent to the database")

# Session.info key: what to undo outside the database if the unit of work does not commit.
_COMPENSATIONS = "compensations"
_AFTER_COMMIT = "after_commit"
# Compensations put back what Kratos or Hydra already changed, so they get time of their own
# even when the request's deadline has passed (that is often why they run).
COMPENSATION_BUDGET = 8.0

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored naive in UTC (MariaDB DATETIME has no zone) and read back aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DatabaseTimeouts:
    """How long one step with the database may take; docs/dashboard-api.md adds them up.

    ``statement`` is the socket read/write timeout of MariaDB connections (a hung server ends a
    statement, and a new connection's handshake, after this long) and SQLite's busy timeout;
    None waits for ever (migrations: an ALTER TABLE may take long).
    """

    connect: float = 3.0
    statement: float | None = 5.0
    pool: float = 5.0


# Execution option of a session that only reads: on SQLite its transaction begins DEFERRED.
READ_ONLY = "dashboard_read_only"
SERVER_STATUS_IN_TRANS = 1  # pymysql.constants.SERVER_STATUS (not imported where SQLite serves)


# Migrations and tools: no statement timeout, the connect timeout MariaDB engines always had.
UNBOUNDED = DatabaseTimeouts(connect=5.0, statement=None, pool=30.0)


class RequestOutOfTime(DependencyUnavailable):
    """The request's time budget is spent: nothing more is sent to the database, nothing
    committed, so a request the proxy has given up on changes nothing later."""

    slug = "request-timeout"

    def __init__(self) -> None:
        super().__init__("The request ran out of time waiting for a service; nothing was changed.")


def refuse_after_deadline() -> None:
    """Raise RequestOutOfTime once the current request's deadline has passed."""
    left = seconds_left()
    if left is not None and left <= 0:
        raise RequestOutOfTime()


def make_engine(url: str, timeouts: DatabaseTimeouts = UNBOUNDED, **kwargs: Any) -> Engine:
    """An engine with the options each backend needs (SQLite foreign keys, MariaDB reconnects)
    and `timeouts`; no statement starts after the current request's deadline."""
    engine = _create(url, timeouts, **kwargs)

    @event.listens_for(engine, "before_cursor_execute")
    def _before_statement(*_: Any) -> None:
        refuse_after_deadline()
        STATEMENTS.inc()

    return engine


def _create(url: str, timeouts: DatabaseTimeouts, **kwargs: Any) -> Engine:
    """The engine for `url`, with what each backend needs to take parallel writes losing none.

    SQLite: WAL (readers never block the writer), a busy timeout, and every transaction but a
    read-only session's (`Database.session(read_only=True)`) begins IMMEDIATE — it takes the one
    write lock up front, so writers queue for it instead of failing:
    a DEFERRED transaction that read first cannot upgrade to a writer once another has written
    (SQLITE_BUSY at once, the busy timeout does not help). SQLite thus runs one writing
    request at a time, which the small installations it is the default for can afford.

    MariaDB: READ COMMITTED, so a statement run after taking a lock (SELECT ... FOR UPDATE, see
    `dashboard_api.locks`) sees what the previous holder committed, not the snapshot of the
    transaction's first read; and pings and reconnects.
    """
    if url.startswith("sqlite"):
        busy = 15.0 if timeouts.statement is None else timeouts.statement
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": busy}, **kwargs
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # pysqlite's own transaction handling breaks SAVEPOINTs; SQLAlchemy emits BEGIN.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            read_only = conn.get_execution_options().get(READ_ONLY, False)
            conn.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")

        return engine
    # A database that does not answer should make /readyz and requests fail fast, not hang.
    connect_args: dict[str, Any] = {}
    if url.startswith("mysql"):
        connect_args["connect_timeout"] = timeouts.connect
        if timeouts.statement is not None:
            connect_args["read_timeout"] = timeouts.statement
            connect_args["write_timeout"] = timeouts.statement
    if "poolclass" not in kwargs:  # waiting for a free pooled connection counts as well
        kwargs.setdefault("pool_timeout", timeouts.pool)
    if url.startswith("mysql") and "isolation_level" not in kwargs:
        kwargs["isolation_level"] = "READ COMMITTED"
    if url.startswith("mysql"):
        kwargs.setdefault("pool_reset_on_return", None)  # `_reset_only_open_transactions` instead
    engine = create_engine(
        url, pool_pre_ping=True, pool_recycle=3600, connect_args=connect_args, **kwargs
    )
    if url.startswith("mysql") and kwargs["pool_reset_on_return"] is None:
        _reset_only_open_transactions(engine)
    return engine


_OPEN = "dashboard_transaction_open"


def _reset_only_open_transactions(engine: Engine) -> None:
    """Give connections back to the pool rolled back only if a transaction may be open.

    The pool's own reset sends a ROLLBACK for every connection it takes back, even one whose
    transaction was just committed (SQLAlchemy's `Connection.close` rolls back any transaction
    it still has): a round trip per request. Here each pooled connection records whether one
    may be open: yes from checkout (a DBAPI connection used directly says nothing) and at
    every BEGIN, no once SQLAlchemy has sent its COMMIT or ROLLBACK; and a connection whose
    server still reported a transaction in its last OK answer (pymysql's `server_status`,
    e.g. a COMMIT that failed after writes) is rolled back as well.
    """

    def mark(info: dict[Any, Any], is_open: bool) -> None:
        info[_OPEN] = is_open

    def reset(dbapi_connection: Any, record: Any, state: PoolResetState) -> None:
        if state.terminate_only:
            return
        in_transaction = getattr(dbapi_connection, "server_status", 0) & SERVER_STATUS_IN_TRANS
        if record.info.get(_OPEN, True) or in_transaction:
            dbapi_connection.rollback()
        mark(record.info, False)

    event.listen(engine, "checkout", lambda _dbapi, record, _proxy: mark(record.info, True))
    event.listen(engine, "begin", lambda conn: mark(conn.connection.info, True))
    event.listen(engine, "commit", lambda conn: mark(conn.connection.info, False))
    event.listen(engine, "rollback", lambda conn: mark(conn.connection.info, False))
    event.listen(engine, "reset", reset)


def core_execute(
    session: Session, statement: Select[*Columns], params: Mapping[str, object]
) -> CursorResult[*Columns]:
    """A Core statement on the session's connection, flushing pending objects first as
    `session.execute` would: the ORM's per-statement bookkeeping is skipped, not its view."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection().execute(statement, params)


def on_rollback(session: Session, undo: Callable[[], None]) -> None:
    """Run `undo` if this unit of work does not commit, a failing commit included (the
    compensation for a write outside the database, e.g. delete the identity Kratos just made).

    Compensations run newest first, after the rollback; each may use the session for a new
    transaction of its own. One that raises is logged and the next still runs.
    """
    session.info.setdefault(_COMPENSATIONS, []).append(undo)


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run `action` once this unit of work has committed (not at all if it rolls back).

    For a call outside the database that must see the committed state, e.g. revoking Hydra
    consents again so a consent granted just before the commit cannot keep an old role.
    One that raises is logged and the next still runs.
    """
    session.info.setdefault(_AFTER_COMMIT, []).append(action)


def _compensate(session: Session) -> None:
    undos: list[Callable[[], None]] = session.info.pop(_COMPENSATIONS, [])
    if undos and deadline_var.get() is not None:
        with request_deadline(COMPENSATION_BUDGET):
            _run(undos)
    else:
        _run(undos)


def _run(undos: list[Callable[[], None]]) -> None:
    for undo in reversed(undos):
        try:
            undo()
        except Exception:
            log.exception("a compensation failed; `dashboard-api reconcile` reports what is left")


def _run_after_commit(actions: list[Callable[[], None]]) -> None:
    for action in actions:
        try:
            action()
        except Exception:
            log.exception("an action after the commit failed")


class Database:
    """Engine plus session factory. Tests bind it to one connection inside an outer transaction.

    A session begins its transaction at its first statement; a read-only one on an engine
    view whose connections carry READ_ONLY, so SQLite's begins DEFERRED (`_create`)."""

    def __init__(self, engine: Engine, bind: Connection | None = None) -> None:
        self.engine = engine
        if bind is None:
            self._factory = sessionmaker(engine, expire_on_commit=False)
            self._read_only_factory = sessionmaker(
                engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
            )
        else:
            # Every commit becomes a SAVEPOINT release; the outer transaction is rolled back later.
            self._factory = sessionmaker(
                bind=bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
            )
            self._read_only_factory = self._factory  # inside the outer transaction: no BEGIN

    @classmethod
    def from_url(cls, url: str, timeouts: DatabaseTimeouts = UNBOUNDED) -> Database:
        return cls(make_engine(url, timeouts))

    def session(self, *, read_only: bool = False) -> Session:
        """A session; `read_only` ones never wait for (or take) SQLite's write lock. Making one
        does no I/O."""
        return self._read_only_factory() if read_only else self._factory()

    @contextmanager
    def transaction(self, *, read_only: bool = False) -> Iterator[Session]:
        """One unit of work: commit when the block ends normally, roll back otherwise (and then
        run the compensations registered with `on_rollback`).

        Past the request's deadline it rolls back instead: the proxy has stopped waiting."""
        session = self.session(read_only=read_only)
        try:
            yield session
            refuse_after_deadline()
            session.commit()
        except BaseException:
            session.info.pop(_AFTER_COMMIT, None)
            try:
                session.rollback()
            except Exception:  # the connection is gone: the database rolls back by itself
                log.warning("rollback failed", exc_info=True)
            _compensate(session)
            raise
        finally:
            session.info.pop(_COMPENSATIONS, None)
            session.close()
        _run_after_commit(session.info.pop(_AFTER_COMMIT, []))

    def dispose(self) -> None:
        self.engine.dispose()
