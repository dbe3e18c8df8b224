"""The bench's search section measures pages that find what the synthetic people hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from devstack.bench import search
from devstack.testing import services


def test_each_query_finds_what_the_people_hold_beside_a_floor(tmp_path: Path) -> None:
    people = search.entries(2000)
    with search.migrated(tmp_path, None) as database:
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
def test_mariadb_answers_the_same_pages_as_sqlite(tmp_path: Path) -> None:
    people = search.entries(500)
    found = []
    for server in (None, services.MARIADB_URL.geturl()):
        with search.migrated(tmp_path, server) as database:
            search.fill(database, people)
            rows = search.measure("x", database, 500, people[250], repeats=2)
        found.append([(row.query, row.results) for row in rows])
    assert found[0] == found[1]
