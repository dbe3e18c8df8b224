"""The bench's search section measures pages that find what the synthetic people hold."""

from __future__ import annotations

from pathlib import Path

import pymysql
import pytest
from devstack.bench import search
from devstack.testing import databases, services


def test_each_query_finds_what_the_people_hold_beside_a_floor(tmp_path: Path) -> None:
    people = search.entries(2000)
    with search.migrated("sqlite", tmp_path, None) as database:
        search.fill(database, people)
        rows = search.measure("SQLite", database, 2000, people[1000], repeats=3)
    found = {row.query: row.results for row in rows}

    def matching(needle: str) -> int:
        return min(100, sum(any(t.startswith(needle) for t in e.terms()) for e in people))

    assert found == {
        "floor: SELECT by primary key": 1,
        "email prefix `ada.lovelace`": matching("ada.lovelace"),
        "username prefix `alovelace`": matching("alovelace"),
        "name word prefix `lovel`": matching("lovel"),
        "a miss `zzqx`": 0,
        "search page `m`, first 100": 100,
        "search page `m`, 11th (cursor)": 100,
    }
    assert 0 < found["email prefix `ada.lovelace`"] < found["name word prefix `lovel`"]
    assert {row.statements for row in rows} == {1.0}
    lines = search.table(rows).splitlines()
    assert len(lines) == 2 + len(rows)
    assert lines[2].endswith("|  |")  # the floor is read against nothing
    assert all(not line.endswith("|  |") for line in lines[3:])


@pytest.mark.requires("mariadb")
def test_a_mariadb_database_is_made_and_dropped_on_the_server_named(tmp_path: Path) -> None:
    url = services.MARIADB_URL.geturl()
    with databases.empty_database("mariadb", tmp_path, server=url) as made:
        name = made.split("/")[-1].split("?")[0]
        assert name in _databases()
    assert name not in _databases()


def _databases() -> set[str]:
    conn = pymysql.connect(
        host=services.MARIADB_HOST,
        port=services.MARIADB_PORT,
        user=services.MARIADB_USER,
        password=services.MARIADB_PASSWORD,
    )
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW DATABASES")
            return {row[0] for row in cur.fetchall()}
    finally:
        conn.close()
