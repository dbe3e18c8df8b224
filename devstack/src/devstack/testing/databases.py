"""Fresh, empty databases on SQLite and MariaDB for tests that must pass on both."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from devstack.testing import services

BACKENDS = ("sqlite", "mariadb")


@contextmanager
def empty_database(backend: str, tmp_dir: Path, *, server: str | None = None) -> Iterator[str]:
    """Yield the SQLAlchemy URL of a new empty database; drop it afterwards. MariaDB's is made
    on `server` (`mysql://user:password@host:port`), by default the tests' (TEST_MARIADB_URL)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_dir / f'test-{secrets.token_hex(4)}.sqlite3'}"
        return
    if backend != "mariadb":
        raise ValueError(backend)
    if server is None:
        services.require("mariadb")
        host, port = services.MARIADB_HOST, services.MARIADB_PORT
        user, password = services.MARIADB_USER, services.MARIADB_PASSWORD
    else:
        parts = urlsplit(server)
        host, port = parts.hostname or "127.0.0.1", parts.port or 3306
        user, password = unquote(parts.username or "root"), unquote(parts.password or "")
    import pymysql

    name = f"test_{secrets.token_hex(6)}"
    conn = pymysql.connect(host=host, port=port, user=user, password=password, autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute(
                f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
        auth = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
        yield f"mysql+pymysql://{auth}@{host}:{port}/{name}?charset=utf8mb4"
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        conn.close()
