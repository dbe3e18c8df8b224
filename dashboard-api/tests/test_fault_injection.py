"""Real faults between dashboard-api and Kratos, Hydra or the database: every write that spans
them ends all-or-nothing, or converges when repeated, and `reconcile` repairs what is left.

Our app talks to Kratos admin, Hydra admin and (on MariaDB) the database through `FaultProxy`s;
the tests look at them directly. A failing COMMIT is, on MariaDB, the connection cut as the
COMMIT goes out; on SQLite (no connection to cut) a deferred foreign key that a trigger breaks,
so the database itself refuses the COMMIT. Runs on SQLite and MariaDB, stand-ins and real Ory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from dashboard_api import migrate
from dashboard_api import reconcile as reconciliation
from dashboard_api.actors import Actor
from dashboard_api.apps.models import DASHBOARD_APP_SLUG
from dashboard_api.auth import service as auth_service
from dashboard_api.config import Settings
from dashboard_api.context import Context
from dashboard_api.db import Database
from dashboard_api.main import create_app
from dashboard_api.ory import OryClients
from dashboard_api.roles import repository as roles_repository
from dashboard_api.roles import service as roles
from dashboard_api.search import service as search
from devstack.clock import Clock
from devstack.serve import start_asgi
from devstack.stack import OryStackBase
from devstack.testing import databases, services
from devstack.testing.faultproxy import Fault, FaultProxy
from sqlalchemy import text
from stackspin_clients.models import CreateIdentity, Identity, OAuth2Client

KRATOS_CREATE = rb"^POST /admin/identities "
KRATOS_BATCH = rb"^PATCH /admin/identities "
KRATOS_PATCH = rb"^PATCH /admin/identities/"
HYDRA_CREATE = rb"^POST /admin/clients "
MYSQL_COMMIT = rb"\x03COMMIT"


@dataclass
class Faulty:
    """Our app behind fault proxies, an admin's client to it, and direct views of everything."""

    backend: str
    admin: httpx.Client
    kratos: FaultProxy
    hydra: FaultProxy
    db: FaultProxy | None  # MariaDB only
    database: Database
    ory: OryClients
    settings: Settings
    app_settings: Settings  # what our app runs with: through the proxies
    # Write intents' time, for our app and reconcile (a CLI process stamps on the wall clock).
    clock: Clock

    def cli(self, *args: str, **settings: Any) -> subprocess.Popen[bytes]:
        """`dashboard-api ARGS` as its own process, with our app's settings (and `settings`)."""
        env = dict(os.environ)
        for name, value in self.app_settings.model_copy(update=settings).model_dump().items():
            if value is not None:
                text_value = str(value).lower() if isinstance(value, bool) else str(value)
                env[f"DASHBOARD_{name.upper()}"] = text_value
        script = Path(sys.executable).with_name("dashboard-api")
        return subprocess.Popen([str(script), *args], env=env)

    def fail_commit(self, proxy: FaultProxy, after: bytes, audit_action: str) -> None:
        """Make the request's last COMMIT fail once the call matching `after` went through
        `proxy` (MariaDB), or once it holds an `audit_action` entry (SQLite)."""
        if self.db is not None:
            db = self.db
            proxy.when(after, Fault.FORWARD, then=lambda: db.when(MYSQL_COMMIT, Fault.CUT))
            return
        with self.database.engine.begin() as conn:
            conn.execute(text("CREATE TABLE fault_parent (id INTEGER PRIMARY KEY)"))
            conn.execute(
                text(
                    "CREATE TABLE fault_child (parent_id INTEGER REFERENCES fault_parent(id)"
                    " DEFERRABLE INITIALLY DEFERRED)"
                )
            )
            conn.execute(text("CREATE TABLE fault_action (action VARCHAR(64))"))
            conn.execute(text("INSERT INTO fault_action VALUES (:a)"), {"a": audit_action})
            conn.execute(
                text(
                    "CREATE TRIGGER fault_on_commit AFTER INSERT ON audit_log"
                    " WHEN NEW.action IN (SELECT action FROM fault_action)"
                    " BEGIN INSERT INTO fault_child VALUES (1); END"
                )
            )

    def heal_commits(self) -> None:
        """COMMITs work again (on MariaDB the cut was once; on SQLite the trigger goes)."""
        if self.db is None:
            with self.database.engine.begin() as conn:
                conn.execute(text("DROP TRIGGER IF EXISTS fault_on_commit"))

    def identities_with(self, address: str) -> list[Identity]:
        return self.ory.kratos.list_identities(credentials_identifier=address).identities

    def clients_of(self, slug: str) -> list[OAuth2Client]:
        owner = f"stackspin-dashboard:{slug}"
        return [c for c in self.ory.hydra.iter_oauth2_clients() if c.owner == owner]

    def reconcile(self, *, repair: bool) -> reconciliation.Report:
        """`dashboard-api reconcile` with its default ages, straight to Kratos and Hydra."""
        return reconciliation.report_then_repair(self._unit_of_work, repair=repair)

    @contextmanager
    def _unit_of_work(self, read_only: bool) -> Iterator[Context]:
        with self.database.transaction(read_only=read_only) as session:
            yield Context(
                session=session,
                ory=self.ory,
                settings=self.settings,
                actor=Actor.cli(),
                now=self.clock.now,
            )


@pytest.fixture(params=databases.BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "mariadb":
        services.require("mariadb")
    return name


def _through(url: str, proxy: FaultProxy) -> str:
    host = f"@{services.MARIADB_HOST}:{services.MARIADB_PORT}/"
    assert host in url, url
    return url.replace(host, f"@{proxy.host}:{proxy.port}/")


@pytest.fixture
def faulty(
    backend: str, ory_stack: OryStackBase, tmp_path: Path, make_test_settings: Any, email: Any
) -> Iterator[Faulty]:
    with (
        databases.empty_database(backend, tmp_path) as url,
        FaultProxy(*_host_port(ory_stack.kratos_admin_url)) as kratos,
        FaultProxy(*_host_port(ory_stack.hydra_admin_url)) as hydra,
    ):
        migrate.upgrade(url)
        db = (
            FaultProxy(services.MARIADB_HOST, services.MARIADB_PORT)
            if backend != "sqlite"
            else None
        )
        app_url = url if db is None else _through(url, db.start())
        direct = make_test_settings(
            url,
            hydra_admin_url=ory_stack.hydra_admin_url,
            hydra_public_url=ory_stack.hydra_public_url,
            kratos_admin_url=ory_stack.kratos_admin_url,
            kratos_public_url=ory_stack.kratos_public_url,
            smtp_url=ory_stack.mail.smtp_url,
        )
        proxied = direct.model_copy(
            update={
                "database_url": app_url,
                "hydra_admin_url": hydra.url,
                "kratos_admin_url": kratos.url,
                "connect_timeout": 1.0,
                "read_timeout": 10.0,
            }
        )
        database = Database.from_url(url)
        app_database = Database.from_url(app_url)
        ory, app_ory = OryClients.from_settings(direct), OryClients.from_settings(proxied)
        admin = ory.kratos.create_identity(
            CreateIdentity(traits={"email": email(), "name": "Admin"}, state="active")
        )
        admin_id = admin.id
        with database.transaction() as session:
            ctx = Context(session=session, ory=ory, settings=direct, actor=Actor.system())
            search.index(ctx, identities=[admin])  # so `reconcile` starts out clean
            roles.set_role(ctx, subject=admin_id, app_slug=DASHBOARD_APP_SLUG, role="admin")
            token = auth_service.open_session(ctx, admin_id)
        clock = Clock()
        server = start_asgi(
            create_app(proxied, database=app_database, ory=app_ory, clock=clock.now)
        )
        client = httpx.Client(
            base_url=server.url, cookies={auth_service.SESSION_COOKIE: token}, timeout=60
        )
        try:
            yield Faulty(backend, client, kratos, hydra, db, database, ory, direct, proxied, clock)
        finally:
            client.close()
            server.stop()
            for clients in (ory, app_ory):
                clients.close()
            for opened in (app_database, database):
                opened.dispose()
            if db is not None:
                db.stop()


def _host_port(url: str) -> tuple[str, int]:
    parts = httpx.URL(url)
    return parts.host, parts.port or 80


def _failed(response: httpx.Response) -> None:
    assert response.status_code >= 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


# --- creating users ------------------------------------------------------------------------


def test_a_failed_commit_after_the_kratos_create_leaves_no_identity(
    faulty: Faulty, email: Any
) -> None:
    faulty.fail_commit(faulty.kratos, KRATOS_CREATE, "user.create")
    address = email()
    _failed(faulty.admin.post("/api/v1/users", json={"email": address}))
    assert faulty.identities_with(address) == []
    assert faulty.reconcile(repair=False).clean


def test_a_failed_commit_after_a_batch_create_leaves_no_identities(
    faulty: Faulty, email: Any
) -> None:
    faulty.fail_commit(faulty.kratos, KRATOS_BATCH, "user.create")
    batch = [email(), email()]
    response = faulty.admin.post(
        "/api/v1/users/batch", json={"users": [{"email": e} for e in batch]}
    )
    _failed(response)
    for address in batch:
        assert faulty.identities_with(address) == []
    assert faulty.reconcile(repair=False).clean


def test_a_lost_answer_to_the_kratos_create_leaves_no_identity(faulty: Faulty, email: Any) -> None:
    faulty.kratos.when(KRATOS_CREATE, Fault.LOSE_ANSWER)
    address = email()
    response = faulty.admin.post("/api/v1/users", json={"email": address})
    assert response.status_code == 503, response.text
    assert faulty.identities_with(address) == []
    assert faulty.reconcile(repair=False).clean


def test_a_retried_batch_import_finishes_the_users_an_earlier_attempt_left_without_roles(
    faulty: Faulty, email: Any
) -> None:
    existing = email()
    faulty.admin.post("/api/v1/users", json={"email": existing}).raise_for_status()
    first, second = email(), email()
    batch = [
        {"email": first, "invite": True, "roles": [{"app": "dashboard", "role": "admin"}]},
        {"email": second, "invite": True},
    ]
    # Kratos makes the identities, then goes down: the invitations and the undo both fail.
    faulty.kratos.when(KRATOS_BATCH, Fault.FORWARD, down_after=True)
    assert faulty.admin.post("/api/v1/users/batch", json={"users": batch}).status_code == 503
    faulty.kratos.heal()
    left = {address: faulty.identities_with(address) for address in (first, second)}
    assert all(len(found) == 1 for found in left.values()), left
    with faulty.database.transaction() as session:
        assert not any(roles_repository.has_any_role(session, f[0].id) for f in left.values())

    retry = faulty.admin.post("/api/v1/users/batch", json={"users": [*batch, {"email": existing}]})
    assert retry.status_code == 200, retry.text
    results = retry.json()["results"]
    assert [r["status"] for r in results] == ["created", "created", "exists"]
    assert [r["id"] for r in results[:2]] == [left[first][0].id, left[second][0].id]
    roles_of = {
        r["email"]: faulty.admin.get(f"/api/v1/users/{r['id']}").json()["roles"]
        for r in results[:2]
    }
    assert roles_of == {
        first: [{"app": "dashboard", "role": "admin"}],
        second: [{"app": "dashboard", "role": "user"}],
    }
    assert faulty.reconcile(repair=False).clean


# --- OAuth2 clients ------------------------------------------------------------------------


def test_a_lost_hydra_answer_on_client_create_leaves_no_client(faulty: Faulty) -> None:
    faulty.admin.post("/api/v1/apps", json={"slug": "wiki", "name": "Wiki"}).raise_for_status()
    # Hydra creates the client; its answer never arrives.
    faulty.hydra.when(HYDRA_CREATE, Fault.LOSE_ANSWER)
    response = faulty.admin.post(
        "/api/v1/apps/wiki/clients", json={"redirect_uris": ["https://wiki.example/cb"]}
    )
    assert response.status_code == 503, response.text
    assert faulty.clients_of("wiki") == []
    assert faulty.reconcile(repair=False).clean
    # The same request, repeated, works.
    retry = faulty.admin.post(
        "/api/v1/apps/wiki/clients", json={"redirect_uris": ["https://wiki.example/cb"]}
    )
    assert retry.status_code == 201, retry.text
    assert [c.client_id for c in faulty.clients_of("wiki")] == [retry.json()["client_id"]]


def test_reconcile_removes_the_client_of_a_lost_create_at_once(faulty: Faulty) -> None:
    faulty.admin.post("/api/v1/apps", json={"slug": "wiki", "name": "Wiki"}).raise_for_status()
    # Hydra creates the client, its answer is lost, and Hydra is gone for the undo too.
    faulty.hydra.when(HYDRA_CREATE, Fault.LOSE_ANSWER, down_after=True)
    response = faulty.admin.post(
        "/api/v1/apps/wiki/clients", json={"redirect_uris": ["https://wiki.example/cb"]}
    )
    assert response.status_code == 503, response.text
    faulty.hydra.heal()
    (orphan,) = faulty.clients_of("wiki")
    assert faulty.admin.get("/api/v1/apps/wiki").json()["client_ids"] == []

    report = faulty.reconcile(repair=False)
    assert report.orphan_clients == [orphan.client_id]
    faulty.reconcile(repair=True)
    assert faulty.clients_of("wiki") == []
    assert faulty.reconcile(repair=False).clean


def test_reconcile_unlinks_a_client_hydra_no_longer_has(faulty: Faulty) -> None:
    faulty.admin.post("/api/v1/apps", json={"slug": "wiki", "name": "Wiki"}).raise_for_status()
    created = faulty.admin.post(
        "/api/v1/apps/wiki/clients", json={"redirect_uris": ["https://wiki.example/cb"]}
    ).json()
    faulty.ory.hydra.delete_oauth2_client(created["client_id"])  # behind our back
    assert faulty.reconcile(repair=False).dangling_links == [created["client_id"]]
    faulty.reconcile(repair=True)
    assert faulty.admin.get("/api/v1/apps/wiki").json()["client_ids"] == []
    assert faulty.reconcile(repair=False).clean


HYDRA_PATCH = rb"^PATCH /admin/clients/"


def _new_client(faulty: Faulty) -> dict[str, Any]:
    faulty.admin.post("/api/v1/apps", json={"slug": "wiki", "name": "Wiki"}).raise_for_status()
    response = faulty.admin.post(
        "/api/v1/apps/wiki/clients",
        json={
            "redirect_uris": ["https://wiki.example/cb"],
            "grant_types": ["authorization_code", "client_credentials"],
        },
    )
    response.raise_for_status()
    created: dict[str, Any] = response.json()
    return created


def _secret_works(faulty: Faulty, client_id: str, secret: str) -> bool:
    token = httpx.post(
        f"{faulty.settings.hydra_public_url}/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),
        timeout=10,
    )
    return token.status_code == 200


def test_a_failed_commit_after_a_redirect_change_puts_the_uris_back(faulty: Faulty) -> None:
    created = _new_client(faulty)
    faulty.fail_commit(faulty.hydra, HYDRA_PATCH, "client.update")
    response = faulty.admin.patch(
        f"/api/v1/apps/wiki/clients/{created['client_id']}",
        json={"redirect_uris": ["https://elsewhere.example/cb"]},
    )
    _failed(response)
    client = faulty.ory.hydra.get_oauth2_client(created["client_id"])
    assert client.redirect_uris == ["https://wiki.example/cb"]


def test_a_rotated_secret_is_never_one_nobody_was_shown(faulty: Faulty) -> None:
    created = _new_client(faulty)
    assert _secret_works(faulty, created["client_id"], created["client_secret"])
    faulty.fail_commit(faulty.hydra, HYDRA_PATCH, "client.rotate_secret")
    response = faulty.admin.post(f"/api/v1/apps/wiki/clients/{created['client_id']}/rotate-secret")
    # The admin holds a working secret: the new one shown, or else the old one still.
    held = response.json()["client_secret"] if response.is_success else created["client_secret"]
    assert _secret_works(faulty, created["client_id"], held), response.text


# --- changing users ------------------------------------------------------------------------


def test_a_failed_commit_after_an_update_puts_the_identity_back(faulty: Faulty, email: Any) -> None:
    user = faulty.admin.post("/api/v1/users", json={"email": email(), "name": "Before"}).json()
    faulty.fail_commit(faulty.kratos, KRATOS_PATCH, "user.update")
    response = faulty.admin.patch(
        f"/api/v1/users/{user['id']}",
        json={"name": "After", "roles": [{"app": "dashboard", "role": "admin"}]},
    )
    _failed(response)
    assert faulty.ory.kratos.get_identity(user["id"]).traits["name"] == "Before"
    after = faulty.admin.get(f"/api/v1/users/{user['id']}").json()
    assert after["name"] == "Before"
    assert after["roles"] == [{"app": "dashboard", "role": "user"}]
    # The search entry went back with the rest: nothing out of step with Kratos.
    assert faulty.reconcile(repair=False).clean


def test_a_failed_commit_after_changing_oneself_puts_the_identity_back(faulty: Faulty) -> None:
    me = faulty.admin.get("/api/v1/me").json()
    faulty.fail_commit(faulty.kratos, KRATOS_PATCH, "user.update_self")
    _failed(faulty.admin.patch("/api/v1/me", json={"name": "Someone Else"}))
    assert faulty.ory.kratos.get_identity(me["id"]).traits["name"] == me["name"]
    assert faulty.reconcile(repair=False).clean


def test_a_lost_answer_to_an_update_puts_the_identity_back(faulty: Faulty, email: Any) -> None:
    user = faulty.admin.post("/api/v1/users", json={"email": email(), "name": "Before"}).json()
    # Kratos applies the patch; its answer never arrives.
    faulty.kratos.when(KRATOS_PATCH, Fault.LOSE_ANSWER)
    response = faulty.admin.patch(f"/api/v1/users/{user['id']}", json={"name": "After"})
    assert response.status_code == 503, response.text
    assert faulty.ory.kratos.get_identity(user["id"]).traits["name"] == "Before"
    assert faulty.reconcile(repair=False).clean


# --- deleting ------------------------------------------------------------------------------


def test_a_user_delete_whose_commit_failed_converges_when_repeated(
    faulty: Faulty, email: Any
) -> None:
    user = faulty.admin.post("/api/v1/users", json={"email": email()}).json()
    faulty.fail_commit(faulty.kratos, rb"^DELETE /admin/identities/", "user.delete")
    _failed(faulty.admin.delete(f"/api/v1/users/{user['id']}"))
    # Kratos deleted the identity; our roles are still there, and reconcile sees them ...
    report = faulty.reconcile(repair=False)
    assert (report.stale_subjects, report.search_drift) == ([user["id"]], [user["id"]])
    # ... and the same delete, repeated, finishes the job.
    faulty.heal_commits()
    assert faulty.admin.delete(f"/api/v1/users/{user['id']}").status_code == 204
    assert faulty.reconcile(repair=False).clean


def test_a_client_delete_whose_commit_failed_converges_when_repeated(faulty: Faulty) -> None:
    created = _new_client(faulty)
    faulty.fail_commit(faulty.hydra, rb"^DELETE /admin/clients/", "client.delete")
    path = f"/api/v1/apps/wiki/clients/{created['client_id']}"
    _failed(faulty.admin.delete(path))
    assert faulty.reconcile(repair=False).dangling_links == [created["client_id"]]
    faulty.heal_commits()
    assert faulty.admin.delete(path).status_code == 204
    assert faulty.admin.get("/api/v1/apps/wiki").json()["client_ids"] == []
    assert faulty.reconcile(repair=False).clean


# --- reconcile -----------------------------------------------------------------------------


def test_reconcile_removes_an_identity_a_failed_create_abandoned_at_once(
    faulty: Faulty, email: Any
) -> None:
    address = email()
    # Kratos makes the identity, then goes down: the invitation and the undo both fail.
    faulty.kratos.when(KRATOS_CREATE, Fault.FORWARD, down_after=True)
    response = faulty.admin.post("/api/v1/users", json={"email": address, "invite": True})
    assert response.status_code == 503, response.text
    faulty.kratos.heal()
    (left,) = faulty.identities_with(address)

    # Our own intent record says its request is over: no ten-minute wait.
    assert faulty.reconcile(repair=False).orphan_identities == [left.id]
    faulty.reconcile(repair=True)
    assert faulty.identities_with(address) == []
    assert faulty.reconcile(repair=False).clean


def test_reconcile_leaves_a_create_still_in_flight_alone(faulty: Faulty, email: Any) -> None:
    address = email()
    # The identity exists; the request hangs on the invitation's recovery code.
    rule = faulty.kratos.when(rb"^POST /admin/recovery/code", Fault.HANG)
    answers: list[httpx.Response] = []
    request = threading.Thread(
        target=lambda: answers.append(
            faulty.admin.post("/api/v1/users", json={"email": address, "invite": True})
        )
    )
    request.start()
    _wait_for(lambda: rule.fired)
    (in_flight,) = faulty.identities_with(address)

    report = faulty.reconcile(repair=True)
    assert in_flight.id not in report.orphan_identities
    assert faulty.identities_with(address) != []

    faulty.kratos.heal()  # the held call is cut: the request fails and undoes its create
    request.join(timeout=30)
    assert answers[0].status_code == 503, answers[0].text
    assert faulty.identities_with(address) == []
    assert faulty.reconcile(repair=False).clean


def _wait_for(rule_fired: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not rule_fired() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert rule_fired()


def test_a_create_whose_process_was_killed_is_a_leftover_once_its_deadline_passed(
    faulty: Faulty, email: Any
) -> None:
    address = email()
    rule = faulty.kratos.when(rb"^POST /admin/recovery/code", Fault.HANG)
    cli = faulty.cli("user", "create", address, "--invite", write_intent_deadline=60)
    try:
        _wait_for(lambda: rule.fired)
        (left,) = faulty.identities_with(address)
        # Its intent is pending: the create may still finish.
        assert left.id not in faulty.reconcile(repair=False).orphan_identities
    finally:
        cli.kill()  # SIGKILL: no compensation runs
        cli.wait(timeout=30)
    faulty.kratos.heal()
    assert left.id not in faulty.reconcile(repair=False).orphan_identities
    faulty.clock.advance(61)

    # Past the deadline the killed request is surely over; no ten-minute wait.
    assert faulty.reconcile(repair=False).orphan_identities == [left.id]
    # The same create, repeated, finishes the same identity.
    retry = faulty.admin.post("/api/v1/users", json={"email": address, "name": "Again"})
    assert retry.status_code == 201, retry.text
    assert retry.json()["id"] == left.id
    assert faulty.reconcile(repair=False).clean
