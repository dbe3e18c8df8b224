"""`make bench`'s scale seeding stores what the admin API would: the stand-in lists, finds and
guards seeded identities like made ones, and dashboard-api reads their roles and finds them in
its search projection as if its own writes had indexed them."""

from __future__ import annotations

from pathlib import Path

import httpx
from dashboard_api.migrate import upgrade
from dashboard_api.roles.repository import assignments_for
from dashboard_api.search import repository
from dashboard_api.search.terms import entry_of
from devstack.bench import scale
from devstack.kratos import KratosConfig, create_apps
from devstack.serve import start_asgi
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from stackspin_clients import ClientConfig, KratosAdmin


def _shape(value: object) -> object:
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return type(value).__name__


def test_seeded_identities_are_served_like_created_ones(tmp_path: Path) -> None:
    config = KratosConfig(database=str(tmp_path / "kratos.sqlite3"))
    _, admin_app = create_apps(config)
    admin = start_asgi(admin_app)
    try:
        made = httpx.post(
            f"{admin.url}/admin/identities",
            json={
                "schema_id": "default",
                "traits": {"email": "made@example.org", "name": "Made"},
            },
        )
        assert made.status_code == 201
        seeded = scale.seed_identities(Path(config.database), config, first=0, count=3)

        listed = httpx.get(f"{admin.url}/admin/identities").json()
        assert sorted(i["id"] for i in listed) == sorted([made.json()["id"], *seeded])
        by_id = {i["id"]: i for i in listed}
        assert _shape(by_id[seeded[1]]) == _shape(by_id[made.json()["id"]])

        found = httpx.get(
            f"{admin.url}/admin/identities",
            params={"credentials_identifier": "person000001@example.org"},
        ).json()
        assert [i["id"] for i in found] == [seeded[1]]
        assert found[0]["credentials"]["password"]["identifiers"] == ["person000001@example.org"]

        taken = httpx.post(
            f"{admin.url}/admin/identities",
            json={"schema_id": "default", "traits": {"email": "person000002@example.org"}},
        )
        assert taken.status_code == 409
        assert scale.id_at(Path(config.database), 0) == min(by_id)
    finally:
        admin.stop()


def test_seeded_roles_are_read_by_dashboard_api(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'dashboard.sqlite3'}"
    upgrade(url)  # the migrations make the dashboard app and the roles
    engine = create_engine(url)
    subjects = ["s0", "s1", "s2", "s3"]

    scale.seed_roles(url, subjects, first=0)

    with Session(engine) as session:
        found = assignments_for(session, subjects)
    engine.dispose()
    assert found == {
        "s0": [("dashboard", "user"), ("wiki", "user")],
        "s1": [("dashboard", "user")],
        "s2": [("dashboard", "user")],
        "s3": [("dashboard", "user"), ("wiki", "user")],
    }


def test_seeded_search_entries_are_those_of_the_identities_kratos_holds(tmp_path: Path) -> None:
    config = KratosConfig(database=str(tmp_path / "kratos.sqlite3"))
    _, admin_app = create_apps(config)
    admin = start_asgi(admin_app)
    url = f"sqlite:///{tmp_path / 'dashboard.sqlite3'}"
    upgrade(url)
    try:
        seeded = scale.seed_identities(Path(config.database), config, first=40, count=3)
        scale.seed_search(url, seeded, first=40)
        with KratosAdmin(ClientConfig(admin.url)) as kratos:
            held = kratos.list_identities(page_size=10).identities
    finally:
        admin.stop()

    engine = create_engine(url)
    with Session(engine) as session:
        stored = repository.entries_page(session, limit=10)
        found, _ = repository.page(session, "person 41", limit=10)
        by_email, _ = repository.page(session, "person000042@", limit=10)
    engine.dispose()
    assert stored == sorted((entry_of(i) for i in held), key=lambda e: e.subject)
    assert [subject for _, subject in found] == [seeded[1]]
    assert [subject for _, subject in by_email] == [seeded[2]]
