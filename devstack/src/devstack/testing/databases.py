"""Fresh, empty databases on SQLite and MariaDB for tests that must pass on both."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from devstack.testing import services

BACKENDS = ("sqlite", "mariadb")


@contextmanager
def empty_database(backend: str, tmp_dir: Path) -> Iterator[str]:
    """Yield the SQLAlchemy URL of a new empty database; drop it afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_dir / f'test-{secrets.token_hex(4)}.sqlite3'}"
        return
    if backend != "mariadb":
        raise ValueError(backend)
    services.require("mariadb")
    import pymysql

    name = f"test_{secrets.token_hex(6)}"
    conn = pymysql.connect(
        host=services.MARIADB_HOST,
        port=services.MARIADB_PORT,
        user=services.MARIADB_USER,
        password=services.MARIADB_PASSWORD,
        autocommit=True,
    )
    try:
        with conn.cursor() as cur:
            cur.execute(
                f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
        auth = quote(services.MARIADB_USER, safe="") + (
            f":{quote(services.MARIADB_PASSWORD, safe='')}" if services.MARIADB_PASSWORD else ""
        )
        yield (
            f"mysql+pymysql://{auth}@{services.MARIADB_HOST}:{services.MARIADB_PORT}/{name}"
            "?charset=utf8mb4"
        )
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        conn.close()
