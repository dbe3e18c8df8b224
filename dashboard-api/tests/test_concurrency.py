"""Two admins demoting each other at the same moment cannot leave the dashboard without one."""

from __future__ import annotations

import threading

import httpx
import pytest
from dashboard_api import migrate
from dashboard_api.actors import Actor
from dashboard_api.auth import service as auth
from dashboard_api.context import Context
from dashboard_api.db import Database
from dashboard_api.main import create_app
from dashboard_api.roles import service as roles
from devstack.serve import start_asgi
from devstack.testing import databases


@pytest.mark.requires("mariadb")
def test_simultaneous_demotions_keep_one_admin(
    tmp_path, settings, ory_clients, make_identity
) -> None:
    if settings.database_url.startswith("sqlite"):
        pytest.skip("row locks are MariaDB's; this runs once, in the MariaDB session")
    with databases.empty_database("mariadb", tmp_path) as url:
        migrate.upgrade(url)
        database = Database.from_url(url)
        first, second = make_identity(), make_identity()
        tokens = {}
        with database.transaction() as session:
            ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.system())
            for subject in (first, second):
                roles.set_role(ctx, subject, "dashboard", "admin")
                tokens[subject] = auth.open_session(ctx, subject)
        server = start_asgi(create_app(settings, database=database, ory=ory_clients))
        try:
            barrier = threading.Barrier(2)
            statuses: dict[str, int] = {}

            def demote_self(subject: str) -> None:
                with httpx.Client(
                    base_url=server.url, cookies={"dashboard_session": tokens[subject]}
                ) as client:
                    barrier.wait()
                    response = client.patch(
                        f"/api/v1/users/{subject}",
                        json={"roles": [{"app": "dashboard", "role": "user"}]},
                    )
                    statuses[subject] = response.status_code

            threads = [threading.Thread(target=demote_self, args=(s,)) for s in (first, second)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            assert sorted(statuses.values()) == [200, 409]
            with database.session() as session:
                ctx = Context(
                    session=session, ory=ory_clients, settings=settings, actor=Actor.system()
                )
                assert roles.is_dashboard_admin(ctx, first) != roles.is_dashboard_admin(ctx, second)
        finally:
            server.stop()
            database.dispose()
