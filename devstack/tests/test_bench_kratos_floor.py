"""The bench's Kratos floor answers the first page of identities Kratos holds, as Kratos
listed them."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from devstack.bench import kratos_floor
from devstack.kratos import KratosConfig, create_apps
from devstack.serve import start_asgi


def test_the_kratos_floor_answers_kratos_first_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = KratosConfig(database=str(tmp_path / "kratos.sqlite3"))
    _, admin_app = create_apps(config)
    admin = start_asgi(admin_app)
    try:
        for n in range(3):
            made = httpx.post(
                f"{admin.url}/admin/identities",
                json={"schema_id": "default", "traits": {"email": f"p{n}@example.org"}},
            )
            assert made.status_code == 201
        monkeypatch.setenv("BENCH_KRATOS_ADMIN_URL", admin.url)
        floor = start_asgi(kratos_floor.app)
        try:
            answer = httpx.get(f"{floor.url}/users", trust_env=False)
        finally:
            floor.stop()
        listed = httpx.get(f"{admin.url}/admin/identities?page_size={kratos_floor.PAGE}")
    finally:
        admin.stop()
    assert answer.status_code == 200
    assert [i["id"] for i in answer.json()] == [i["id"] for i in listed.json()]
    assert sorted(i["traits"]["email"] for i in answer.json()) == [
        f"p{n}@example.org" for n in range(3)
    ]
