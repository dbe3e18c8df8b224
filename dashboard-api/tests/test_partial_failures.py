"""Calls that touch Kratos and the database never leave half a user behind."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from dashboard_api import migrate
from dashboard_api import reconcile as reconciliation
from dashboard_api.actors import Actor
from dashboard_api.context import Context
from dashboard_api.db import Database
from dashboard_api.main import create_app
from dashboard_api.roles import repository as roles_repository
from devstack.serve import start_asgi
from devstack.testing import databases
from sqlalchemy import text


def _identities_with(ory_clients, address: str) -> list:
    return ory_clients.kratos.list_identities(credentials_identifier=address).identities


def test_kratos_failing_after_the_create_undoes_the_identity(
    admin, ory, ory_clients, email
) -> None:
    address = email()
    # Kratos creates the identity, then fails the next call (the invitation's recovery code).
    ory.kratos_gate.fail_only = ("POST", "/admin/recovery/code")
    response = admin.client.post("/api/v1/users", json={"email": address, "invite": True})
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert _identities_with(ory_clients, address) == []
    ory.kratos_gate.reset()
    entries = admin.client.get("/api/v1/audit", params={"action": "user.create"}).json()["items"]
    assert all(e["summary"].get("email") != address for e in entries)


def test_mail_server_down_undoes_the_invited_user(
    admin, ory_clients, email, served, settings
) -> None:
    app, _ = served
    address = email()
    app.state.settings = settings.model_copy(update={"smtp_url": "smtp://127.0.0.1:9"})
    try:
        response = admin.client.post("/api/v1/users", json={"email": address, "invite": True})
    finally:
        app.state.settings = settings
    assert response.status_code == 503, response.text
    assert _identities_with(ory_clients, address) == []


def test_kratos_down_for_the_undo_too_converges_on_retry(
    admin, ory, ory_clients, email, database, settings
) -> None:
    address = email()
    # Kratos answers the create, then goes down: the invitation and the undo both fail.
    ory.kratos_gate.down_after = ("POST", "/admin/identities")
    response = admin.client.post(
        "/api/v1/users", json={"email": address, "invite": True, "name": "First"}
    )
    assert response.status_code == 503, response.text
    ory.kratos_gate.reset()
    (left_over,) = _identities_with(ory_clients, address)
    assert not roles_repository.has_any_role(database.session(), left_over.id)

    # reconcile reports it ...
    with database.transaction() as session:
        ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.cli())
        report = reconciliation.reconcile(ctx, repair=False, orphan_min_age=timedelta(0))
    assert left_over.id in report.orphan_identities

    # ... and the same request, repeated, finishes the job on the same identity.
    retry = admin.client.post("/api/v1/users", json={"email": address, "name": "Second"})
    assert retry.status_code == 201, retry.text
    assert retry.json()["id"] == left_over.id
    assert retry.json()["name"] == "Second"
    assert len(_identities_with(ory_clients, address)) == 1
    # A real duplicate is still refused.
    assert admin.client.post("/api/v1/users", json={"email": address}).status_code == 409


def test_kratos_failing_after_an_update_puts_the_identity_and_roles_back(
    admin, ory, ory_clients, email
) -> None:
    user = admin.client.post("/api/v1/users", json={"email": email(), "name": "Before"}).json()
    # Kratos takes the new traits and state, then fails to end the person's sessions.
    ory.kratos_gate.fail_only = ("DELETE", f"/admin/identities/{user['id']}/sessions")
    response = admin.client.patch(
        f"/api/v1/users/{user['id']}",
        json={
            "state": "inactive",
            "name": "After",
            "username": "after",
            "roles": [{"app": "dashboard", "role": "admin"}],
        },
    )
    assert response.status_code == 503, response.text
    ory.kratos_gate.reset()
    identity = ory_clients.kratos.get_identity(user["id"])
    assert identity.state == "active"
    assert identity.traits["name"] == "Before"
    assert "username" not in identity.traits
    after = admin.client.get(f"/api/v1/users/{user['id']}").json()
    assert after["roles"] == [{"app": "dashboard", "role": "user"}]
    entries = admin.client.get(
        "/api/v1/audit", params={"action": "user.update", "target_id": user["id"]}
    ).json()["items"]
    assert entries == []


@pytest.fixture
def breakable_database(tmp_path, settings):
    """A migrated database of our own on the session's backend, so a test may drop a table."""
    backend = "sqlite" if settings.database_url.startswith("sqlite") else "mariadb"
    with databases.empty_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        database = Database.from_url(url)
        yield database
        database.dispose()


@pytest.fixture
def admin_on_breakable(breakable_database, settings, ory_clients, make_identity):
    """An admin's client on our app served over `breakable_database`."""
    admin_subject = make_identity()
    with breakable_database.transaction() as session:
        from dashboard_api.auth import service as auth
        from dashboard_api.roles import service as roles

        ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.system())
        roles.set_role(ctx, subject=admin_subject, app_slug="dashboard", role="admin")
        token = auth.open_session(ctx, admin_subject)
    server = start_asgi(create_app(settings, database=breakable_database, ory=ory_clients))
    try:
        with httpx.Client(base_url=server.url, cookies={"dashboard_session": token}) as client:
            yield client
    finally:
        server.stop()


def _drop_audit_log(database: Database) -> None:
    with database.engine.begin() as conn:
        conn.execute(text("DROP TABLE audit_log"))


def test_database_failing_after_kratos_leaves_no_identity(
    admin_on_breakable, breakable_database, ory_clients, email
) -> None:
    client = admin_on_breakable
    # The audit log is written after the Kratos create: make that write fail for real.
    _drop_audit_log(breakable_database)
    single = email()
    response = client.post("/api/v1/users", json={"email": single})
    assert response.status_code == 503, response.text
    assert response.json()["type"].endswith("database-unavailable")
    assert _identities_with(ory_clients, single) == []

    batch = [email(), email()]
    response = client.post("/api/v1/users/batch", json={"users": [{"email": e} for e in batch]})
    assert response.status_code == 503, response.text
    for address in batch:
        assert _identities_with(ory_clients, address) == []


def test_database_failing_leaves_the_client_secret_and_redirects_in_hydra_alone(
    admin_on_breakable, breakable_database, ory
) -> None:
    client = admin_on_breakable
    client.post("/api/v1/apps", json={"slug": "wiki", "name": "Wiki"}).raise_for_status()
    created = client.post(
        "/api/v1/apps/wiki/clients", json={"redirect_uris": ["https://wiki.example/cb"]}
    ).json()
    _drop_audit_log(breakable_database)
    ory.hydra_calls.clear()
    base = f"/api/v1/apps/wiki/clients/{created['client_id']}"
    assert client.post(f"{base}/rotate-secret").status_code == 503
    changed = client.patch(base, json={"redirect_uris": ["https://wiki.example/other"]})
    assert changed.status_code == 503
    # Hydra was never asked to change: the old secret (shown once) still works.
    assert not [c for c in ory.hydra_calls.calls if c[0] in ("PATCH", "PUT")]


def test_reconcile_repairs_roles_of_identities_deleted_behind_our_back(ctx, make_identity) -> None:
    from dashboard_api.roles import service as roles

    gone = make_identity()
    kept = make_identity()
    roles.set_role(ctx, subject=gone, app_slug="dashboard", role="user")
    roles.set_role(ctx, subject=kept, app_slug="dashboard", role="user")
    ctx.ory.kratos.delete_identity(gone)
    report = reconciliation.reconcile(ctx, repair=True)
    assert gone in report.stale_subjects
    assert kept not in report.stale_subjects
    assert not roles_repository.has_any_role(ctx.session, gone)
    assert roles_repository.has_any_role(ctx.session, kept)
