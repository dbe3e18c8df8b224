"""SQLite document store of the Kratos stand-in: JSON documents by kind and id, plus unique keys.

One connection guarded by a lock, so ASGI handlers on any thread may use it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

Doc = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    kind TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS unique_keys (
    kind TEXT NOT NULL, key TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (kind, key)
);
CREATE INDEX IF NOT EXISTS unique_keys_by_id ON unique_keys (kind, id);
"""


class DuplicateKeyError(Exception):
    """A unique key (identifier, token) is already taken by another document."""


class Store:
    def __init__(self, database: str) -> None:
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(database, check_same_thread=False, isolation_level=None)
        if database != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several writes; nested use joins the outer transaction."""
        with self._lock:
            if self._conn.in_transaction:
                yield
                return
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def get(self, kind: str, id_: str) -> Doc | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT data FROM docs WHERE kind = ? AND id = ?", (kind, id_)
            ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def put(self, kind: str, id_: str, doc: Doc) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT INTO docs (kind, id, data) VALUES (?, ?, ?) "
                "ON CONFLICT (kind, id) DO UPDATE SET data = excluded.data",
                (kind, id_, json.dumps(doc)),
            )

    def insert_many(
        self, kind: str, docs: list[Doc], key_kind: str, keys: list[tuple[str, str]]
    ) -> None:
        """Bulk-load new documents (by their "id") and their (key, id) unique keys in one
        transaction: seeding a large directory without one request per document."""
        with self.transaction():
            self._conn.executemany(
                "INSERT INTO docs (kind, id, data) VALUES (?, ?, ?)",
                [(kind, d["id"], json.dumps(d)) for d in docs],
            )
            self._conn.executemany(
                "INSERT INTO unique_keys (kind, key, id) VALUES (?, ?, ?)",
                [(key_kind, key, id_) for key, id_ in keys],
            )

    def delete(self, kind: str, id_: str) -> bool:
        with self._lock:
            cur = self._conn.execute("DELETE FROM docs WHERE kind = ? AND id = ?", (kind, id_))
            self._conn.execute("DELETE FROM unique_keys WHERE kind = ? AND id = ?", (kind, id_))
        return cur.rowcount > 0

    def all(self, kind: str, *, after: str = "", limit: int | None = None) -> list[Doc]:
        """Documents ordered by id (keyset pagination: ids greater than `after`)."""
        sql = "SELECT data FROM docs WHERE kind = ? AND id > ? ORDER BY id"
        params: list[Any] = [kind, after]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._lock:
            rows = self._conn.execute(sql, params).fetchall()
        return [dict(json.loads(r[0])) for r in rows]

    def some(self, kind: str, ids: list[str], *, after: str = "", limit: int) -> list[Doc]:
        """The documents among `ids` (any number: one JSON parameter), ordered by id, keyset-paged
        like `all`: one indexed query, only the page decoded."""
        with self._lock:
            # CROSS JOIN keeps SQLite looking each id up rather than scanning ids > after
            rows = self._conn.execute(
                "SELECT d.data FROM json_each(?) AS wanted CROSS JOIN docs AS d "
                "ON d.kind = ? AND d.id = wanted.value WHERE d.id > ? ORDER BY d.id LIMIT ?",
                (json.dumps(list(dict.fromkeys(ids))), kind, after, limit),
            ).fetchall()
        return [dict(json.loads(r[0])) for r in rows]

    def id_at(self, kind: str, position: int) -> str | None:
        """The id at `position` (from 0) in id order."""
        with self._lock:
            row = self._conn.execute(
                "SELECT id FROM docs WHERE kind = ? ORDER BY id LIMIT 1 OFFSET ?", (kind, position)
            ).fetchone()
        return None if row is None else str(row[0])

    def set_keys(self, kind: str, id_: str, keys: list[str]) -> None:
        """Replace the unique keys of a document; raise DuplicateKeyError when one is taken."""
        with self._lock:
            for key in keys:
                row = self._conn.execute(
                    "SELECT id FROM unique_keys WHERE kind = ? AND key = ?", (kind, key)
                ).fetchone()
                if row is not None and row[0] != id_:
                    raise DuplicateKeyError(key)
            self._conn.execute("DELETE FROM unique_keys WHERE kind = ? AND id = ?", (kind, id_))
            self._conn.executemany(
                "INSERT INTO unique_keys (kind, key, id) VALUES (?, ?, ?)",
                [(kind, k, id_) for k in dict.fromkeys(keys)],
            )

    def find_by_key(self, kind: str, key: str) -> str | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT id FROM unique_keys WHERE kind = ? AND key = ?", (kind, key)
            ).fetchone()
        return None if row is None else str(row[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()
