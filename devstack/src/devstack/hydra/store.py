"""SQLite state of the Hydra stand-in: one table of JSON records, guarded by one lock.

uvicorn serves from its own thread and tests read from theirs, so the connection is shared
across threads and every access holds the lock.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    subject TEXT,
    client_id TEXT,
    data TEXT NOT NULL,
    UNIQUE (kind, id)
);
CREATE INDEX IF NOT EXISTS records_subject ON records (kind, subject);
CREATE INDEX IF NOT EXISTS records_client ON records (kind, client_id);
"""

Record = dict[str, Any]


class Store:
    """Records by kind and id, with optional subject and client columns for lookups."""

    def __init__(self, database: str) -> None:
        self._lock = threading.RLock()
        self._db = sqlite3.connect(database, check_same_thread=False, isolation_level=None)
        if database != ":memory:":
            # Each write is its own transaction; WAL without a sync per commit keeps them cheap
            # (a crash may lose the last writes, never corrupt the file — fine for development).
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the lock across several calls so a read-check-write is atomic."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def put(
        self,
        kind: str,
        id_: str,
        data: Record,
        *,
        subject: str | None = None,
        client_id: str | None = None,
    ) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO records (kind, id, subject, client_id, data) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (kind, id) DO UPDATE SET subject = excluded.subject, "
                "client_id = excluded.client_id, data = excluded.data",
                (kind, id_, subject, client_id, json.dumps(data)),
            )

    def get(self, kind: str, id_: str) -> Record | None:
        with self._lock:
            row = self._db.execute(
                "SELECT data FROM records WHERE kind = ? AND id = ?", (kind, id_)
            ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def delete(self, kind: str, id_: str) -> bool:
        with self._lock:
            cur = self._db.execute("DELETE FROM records WHERE kind = ? AND id = ?", (kind, id_))
        return cur.rowcount > 0

    def find(
        self, kind: str, *, subject: str | None = None, client_id: str | None = None
    ) -> list[tuple[str, Record]]:
        """(id, data) pairs of a kind, oldest first, optionally filtered."""
        sql = "SELECT id, data FROM records WHERE kind = ?"
        args: list[Any] = [kind]
        if subject is not None:
            sql += " AND subject = ?"
            args.append(subject)
        if client_id is not None:
            sql += " AND client_id = ?"
            args.append(client_id)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY seq", args).fetchall()
        return [(row[0], dict(json.loads(row[1]))) for row in rows]

    def find_by_field(self, kind: str, field: str, value: str) -> list[tuple[str, Record]]:
        """(id, data) pairs whose JSON `field` (a top-level key) equals `value`."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, data FROM records WHERE kind = ? AND json_extract(data, ?) = ? "
                "ORDER BY seq",
                (kind, f"$.{field}", value),
            ).fetchall()
        return [(row[0], dict(json.loads(row[1]))) for row in rows]

    def delete_older(self, kind: str, field: str, cutoff: float) -> int:
        """Delete records whose numeric JSON `field` is below `cutoff`; returns how many."""
        with self._lock:
            cur = self._db.execute(
                "DELETE FROM records WHERE kind = ? AND json_extract(data, ?) < ?",
                (kind, f"$.{field}", cutoff),
            )
        return cur.rowcount

    def page_by_id(self, kind: str, after: str | None, limit: int) -> list[tuple[str, Record]]:
        """Keyset page ordered by id: the rows with id > `after`, at most `limit`."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, data FROM records WHERE kind = ? AND id > ? ORDER BY id LIMIT ?",
                (kind, after or "", limit),
            ).fetchall()
        return [(row[0], dict(json.loads(row[1]))) for row in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()
