"""State in a SQLite file survives a restart (what a second `make dev` relies on)."""

from __future__ import annotations

from pathlib import Path

import httpx
from devstack.kratos import KratosConfig, create_apps
from devstack.serve import start_asgi


def test_identities_and_sessions_survive_a_restart(tmp_path: Path) -> None:
    database = str(tmp_path / "kratos.sqlite")
    config = KratosConfig(database=database, argon2_memory_kib=256, argon2_iterations=1)
    public_app, admin_app = create_apps(config)
    admin = start_asgi(admin_app)
    public = start_asgi(public_app)
    config.public_url = public.url + "/"
    try:
        r = httpx.post(
            f"{admin.url}/admin/identities",
            json={
                "schema_id": "default",
                "traits": {"email": "keep@example.org"},
                "credentials": {"password": {"config": {"password": "pw-123456"}}},
            },
        )
        assert r.status_code == 201
        flow = httpx.get(f"{public.url}/self-service/login/api").json()
        login = httpx.post(
            flow["ui"]["action"],
            json={"method": "password", "identifier": "keep@example.org", "password": "pw-123456"},
        )
        token = login.json()["session_token"]
    finally:
        public.stop()
        admin.stop()

    public_app, admin_app = create_apps(KratosConfig(database=database))
    admin = start_asgi(admin_app)
    public = start_asgi(public_app)
    try:
        listed = httpx.get(f"{admin.url}/admin/identities").json()
        assert [i["traits"]["email"] for i in listed] == ["keep@example.org"]
        who = httpx.get(f"{public.url}/sessions/whoami", headers={"X-Session-Token": token})
        assert who.status_code == 200
    finally:
        public.stop()
        admin.stop()
