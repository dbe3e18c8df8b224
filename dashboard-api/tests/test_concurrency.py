"""Parallel writes from an admin's dashboard lose nothing, on SQLite and on MariaDB.

Each test serves dashboard-api over HTTP on a fresh migrated database of the session's backend
and sends its requests from threads released together by a barrier.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from dashboard_api import migrate
from dashboard_api.actors import Actor
from dashboard_api.apps import service as apps_service
from dashboard_api.apps.schemas import AppCreate
from dashboard_api.auth import service as auth
from dashboard_api.config import Settings
from dashboard_api.context import Context
from dashboard_api.db import Database
from dashboard_api.main import create_app
from dashboard_api.ory import OryClients
from dashboard_api.roles import repository as roles_repository
from dashboard_api.roles import service as roles
from dashboard_api.roles.models import UserAppRole
from devstack.serve import RunningServer, start_asgi
from devstack.stack import OryStackBase
from devstack.testing import databases
from sqlalchemy import select
from stackspin_clients import errors as ory_errors
from stackspin_clients.models import CreateIdentity

PROBLEM = "application/problem+json"


def backend_of(settings: Settings) -> str:
    return "sqlite" if settings.database_url.startswith("sqlite") else "mariadb"


@dataclass
class Served:
    """dashboard-api on its own fresh database, and a way to act on that database directly."""

    server: RunningServer
    database: Database
    settings: Settings
    ory: OryClients

    def context(self, session: Any) -> Context:
        return Context(session=session, ory=self.ory, settings=self.settings, actor=Actor.system())

    def new_identity(self) -> str:
        email = f"{uuid.uuid4().hex[:12]}@example.org"
        traits = {"email": email, "name": "Test Person"}
        return self.ory.kratos.create_identity(CreateIdentity(traits=traits, state="active")).id

    def admin_cookie(self, subject: str) -> dict[str, str]:
        with self.database.transaction() as session:
            ctx = self.context(session)
            roles.set_role(ctx, subject=subject, app_slug="dashboard", role="admin")
            return {auth.SESSION_COOKIE: auth.open_session(ctx, subject)}


@pytest.fixture
def served(tmp_path, settings: Settings, ory_stack: OryStackBase) -> Iterator[Served]:
    """Not the shared rolled-back transaction: parallel requests need their own connections.
    A fresh Ory stack per test, the stand-ins or (ORY=real) real Hydra and Kratos."""
    with databases.empty_database(backend_of(settings), tmp_path) as url:
        migrate.upgrade(url)
        own = settings.model_copy(
            update={
                "database_url": url,
                "hydra_admin_url": ory_stack.hydra_admin_url,
                "hydra_public_url": ory_stack.hydra_public_url,
                "hydra_browser_url": ory_stack.hydra_public_url,
                "kratos_admin_url": ory_stack.kratos_admin_url,
                "kratos_public_url": ory_stack.kratos_public_url,
                "smtp_url": ory_stack.mail.smtp_url,
            }
        )
        ory = OryClients.from_settings(own)
        database = Database.from_url(url)
        server = start_asgi(create_app(own, database=database, ory=ory))
        try:
            yield Served(server, database, own, ory)
        finally:
            server.stop()
            database.dispose()
            ory.close()


def in_parallel(count: int, call: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    """Run call(0..count-1) in threads released at the same moment; their responses, in order."""
    barrier = threading.Barrier(count)
    responses: list[httpx.Response | None] = [None] * count
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            responses[index] = call(index)
        except BaseException as exc:  # reported below, in the test's own thread
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    assert all(r is not None for r in responses), "a request did not finish"
    return [r for r in responses if r is not None]


def statuses(responses: list[httpx.Response]) -> list[int]:
    return sorted(r.status_code for r in responses)


def test_simultaneous_demotions_keep_one_admin(served: Served) -> None:
    first, second = served.new_identity(), served.new_identity()
    cookies = {subject: served.admin_cookie(subject) for subject in (first, second)}
    order = [first, second]

    def demote_self(index: int) -> httpx.Response:
        subject = order[index]
        with httpx.Client(base_url=served.server.url, cookies=cookies[subject]) as client:
            return client.patch(
                f"/api/v1/users/{subject}", json={"roles": [{"app": "dashboard", "role": "user"}]}
            )

    assert statuses(in_parallel(2, demote_self)) == [200, 409]
    with served.database.session() as session:
        ctx = served.context(session)
        assert roles.is_dashboard_admin(ctx, subject=first) != roles.is_dashboard_admin(
            ctx, subject=second
        )


def test_parallel_creates_of_distinct_users_all_succeed(served: Served) -> None:
    cookies = served.admin_cookie(served.new_identity())
    emails = [f"p{i}-{uuid.uuid4().hex[:8]}@example.org" for i in range(20)]

    def create(index: int) -> httpx.Response:
        with httpx.Client(base_url=served.server.url, cookies=cookies, timeout=60) as client:
            return client.post("/api/v1/users", json={"email": emails[index], "name": "P"})

    responses = in_parallel(20, create)
    assert statuses(responses) == [201] * 20, [r.text for r in responses if r.status_code != 201]
    with served.database.session() as session:
        for response, email in zip(responses, emails, strict=True):
            assert response.json()["email"] == email
            assert roles_repository.has_any_role(session, response.json()["id"])
    for email in emails:
        assert len(served.ory.kratos.list_identities(credentials_identifier=email).identities) == 1


def test_parallel_creates_of_one_email_leave_exactly_one_user(
    served: Served,
) -> None:
    cookies = served.admin_cookie(served.new_identity())
    email = f"same-{uuid.uuid4().hex[:8]}@example.org"

    def create(index: int) -> httpx.Response:
        with httpx.Client(base_url=served.server.url, cookies=cookies, timeout=60) as client:
            return client.post(
                "/api/v1/users", json={"email": email, "name": f"Try {index}", "invite": True}
            )

    responses = in_parallel(6, create)
    created = [r for r in responses if r.status_code == 201]
    refused = [r for r in responses if r.status_code != 201]
    assert created, [r.text for r in responses]
    assert all(r.status_code == 409 for r in refused), [r.text for r in refused]
    assert all(r.headers["content-type"].startswith(PROBLEM) for r in refused)
    found = served.ory.kratos.list_identities(credentials_identifier=email).identities
    assert len(found) == 1
    assert {r.json()["id"] for r in created} == {found[0].id}
    with httpx.Client(base_url=served.server.url, cookies=cookies) as client:
        user = client.get(f"/api/v1/users/{found[0].id}")
    assert user.status_code == 200
    # Nobody else's traits were written over the winner's.
    assert user.json()["name"] == created[0].json()["name"]
    assert user.json()["roles"] == [{"app": "dashboard", "role": "user"}]


def _orphan_role_subjects(served: Served) -> set[str]:
    """Subjects holding roles here that Kratos does not know: half-made users."""
    with served.database.transaction() as session:
        subjects = set(session.scalars(select(UserAppRole.subject)))
    return {s for s in subjects if not _exists(served, s)}


def _exists(served: Served, subject: str) -> bool:
    try:
        served.ory.kratos.get_identity(subject)
    except ory_errors.NotFound:
        return False
    return True


def test_parallel_creates_of_one_username_in_other_case_make_one_user(served: Served) -> None:
    cookies = served.admin_cookie(served.new_identity())
    name = f"Same-{uuid.uuid4().hex[:8]}"

    def create(index: int) -> httpx.Response:
        with httpx.Client(base_url=served.server.url, cookies=cookies, timeout=60) as client:
            username = name.upper() if index else name.lower()
            body = {"email": f"u{index}-{name}@example.org", "username": username}
            return client.post("/api/v1/users", json=body)

    responses = in_parallel(2, create)
    assert statuses(responses) == [201, 409], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert refused.json()["field"] == "username"
    assert len(served.ory.kratos.list_identities(credentials_identifier=name).identities) == 1
    assert not _orphan_role_subjects(served)


def test_a_create_and_an_update_racing_for_one_username_let_one_win(served: Served) -> None:
    cookies = served.admin_cookie(served.new_identity())
    existing = served.new_identity()
    name = f"race-{uuid.uuid4().hex[:8]}"

    def change(index: int) -> httpx.Response:
        with httpx.Client(base_url=served.server.url, cookies=cookies, timeout=60) as client:
            if index:
                return client.patch(f"/api/v1/users/{existing}", json={"username": name.upper()})
            body = {"email": f"new-{name}@example.org", "username": name}
            return client.post("/api/v1/users", json=body)

    responses = in_parallel(2, change)
    codes = [r.status_code for r in responses]
    assert sorted(codes) in ([200, 409], [201, 409]), [r.text for r in responses]
    assert next(r for r in responses if r.status_code == 409).json()["field"] == "username"
    holders = served.ory.kratos.list_identities(credentials_identifier=name).identities
    assert len(holders) == 1
    winner = holders[0].id
    assert winner == (existing if codes[1] == 200 else responses[0].json()["id"])
    assert not _orphan_role_subjects(served)


def _settings_session(served: Served) -> tuple[str, str]:
    """A person with a password, signed in through Kratos's API login flow: (id, session token)."""
    email, password = f"{uuid.uuid4().hex[:12]}@example.org", "a long unguessable passphrase 9"
    person = served.ory.kratos.create_identity(
        CreateIdentity(
            traits={"email": email, "name": "Settings Person"},
            state="active",
            credentials={"password": {"config": {"password": password}}},
        )
    )
    public = served.settings.kratos_public_url.rstrip("/")
    with httpx.Client(timeout=30) as kratos:
        flow = kratos.get(f"{public}/self-service/login/api").json()
        login = kratos.post(
            flow["ui"]["action"],
            json={"method": "password", "identifier": email, "password": password},
        )
        assert login.status_code == 200, login.text
        return person.id, login.json()["session_token"]


def test_a_create_and_a_settings_page_change_racing_for_one_username_let_one_win(
    served: Served,
) -> None:
    """The username is taken on the Kratos settings flow (what the settings page submits) and
    through dashboard-api at once: Kratos's identifier index lets exactly one have it."""
    cookies = served.admin_cookie(served.new_identity())
    person, token = _settings_session(served)
    public = served.settings.kratos_public_url.rstrip("/")
    name = f"race-{uuid.uuid4().hex[:8]}"
    with httpx.Client(timeout=30, headers={"X-Session-Token": token}) as kratos:
        flow = kratos.get(f"{public}/self-service/settings/api").json()
    email = next(
        n["attributes"]["value"]
        for n in flow["ui"]["nodes"]
        if n["attributes"].get("name") == "traits.email"
    )

    def change(index: int) -> httpx.Response:
        if index:
            with httpx.Client(timeout=60, headers={"X-Session-Token": token}) as kratos:
                traits = {"email": email, "name": "Settings Person", "username": name.upper()}
                return kratos.post(
                    flow["ui"]["action"], json={"method": "profile", "traits": traits}
                )
        with httpx.Client(base_url=served.server.url, cookies=cookies, timeout=60) as client:
            return client.post(
                "/api/v1/users", json={"email": f"new-{name}@example.org", "username": name}
            )

    created, settings = in_parallel(2, change)
    won = (created.status_code == 201, settings.status_code == 200)
    assert won in ((True, False), (False, True)), (created.text, settings.text)
    if created.status_code != 201:
        assert created.status_code == 409, created.text
        assert created.json()["field"] == "username"
    holders = served.ory.kratos.list_identities(credentials_identifier=name).identities
    assert [h.id for h in holders] == [
        person if settings.status_code == 200 else created.json()["id"]
    ]
    assert not _orphan_role_subjects(served)


def test_batch_and_single_creates_of_the_same_email_make_one_user(served: Served) -> None:
    """Each email is sent once alone and once in a batch (of one: real Kratos answers a batch
    with a duplicate in it by creating none of the others, while reporting them created)."""
    cookies = served.admin_cookie(served.new_identity())
    emails = [f"b{i}-{uuid.uuid4().hex[:8]}@example.org" for i in range(10)]

    def create(index: int) -> httpx.Response:
        email, batched = emails[index // 2], index % 2 == 1
        with httpx.Client(base_url=served.server.url, cookies=cookies, timeout=60) as client:
            body = {"email": email, "name": "Batch" if batched else "Single"}
            if batched:
                return client.post("/api/v1/users/batch", json={"users": [body]})
            return client.post("/api/v1/users", json=body)

    responses = in_parallel(2 * len(emails), create)
    for number, email in enumerate(emails):
        single, batch = responses[2 * number], responses[2 * number + 1]
        assert batch.status_code == 200, batch.text
        (result,) = batch.json()["results"]
        found = served.ory.kratos.list_identities(credentials_identifier=email).identities
        assert len(found) == 1
        traits = found[0].traits or {}
        if single.status_code == 201:
            assert single.json()["id"] == found[0].id
            # "failed": the single create was still under way (its write intent); a retry says
            # "exists". Never "created": the batch must not take over an identity in flight.
            assert result["status"] in ("exists", "failed"), result
            assert result["status"] == "exists" or "under way" in result["error"], result
            assert traits["name"] == "Single"
        else:
            assert single.status_code == 409, single.text
            assert (result["status"], result["id"]) == ("created", found[0].id)
            assert traits["name"] == "Batch"
        with served.database.session() as session:
            assert roles_repository.has_any_role(session, found[0].id)


def test_parallel_role_changes_end_in_one_requests_roles(served: Served) -> None:
    cookies = served.admin_cookie(served.new_identity())
    person = served.new_identity()
    slugs = [f"app{i}" for i in range(3)]
    with served.database.transaction() as session:
        ctx = served.context(session)
        for slug in slugs:
            apps_service.create_app(ctx, data=AppCreate(slug=slug, name=slug))
        roles.set_role(ctx, subject=person, app_slug="dashboard", role="user")
    # Twenty different sets: each app gets no role, user or admin (the dashboard role stays).
    wanted: list[list[dict[str, str]]] = []
    for number in range(1, 21):
        choice, plan = number, [{"app": "dashboard", "role": "user"}]
        for slug in slugs:
            choice, digit = divmod(choice, 3)
            if digit:
                plan.append({"app": slug, "role": ("user", "admin")[digit - 1]})
        wanted.append(plan)

    def change(index: int) -> httpx.Response:
        with httpx.Client(base_url=served.server.url, cookies=cookies, timeout=60) as client:
            return client.patch(f"/api/v1/users/{person}", json={"roles": wanted[index]})

    responses = in_parallel(20, change)
    assert statuses(responses) == [200] * 20, [r.text for r in responses if r.status_code != 200]
    with httpx.Client(base_url=served.server.url, cookies=cookies) as client:
        final = client.get(f"/api/v1/users/{person}").json()["roles"]
    as_set = {(r["app"], r["role"]) for r in final}
    assert as_set in [{(r["app"], r["role"]) for r in plan} for plan in wanted]


@pytest.mark.parametrize("path", ["/readyz", "/api/v1/users", "/api/v1/me/apps"])
def test_reads_do_not_wait_for_a_writer(served: Served, path: str) -> None:
    """SQLite writers hold the write lock for a whole request; a GET that only reads does not
    wait for it (before, /readyz waited 15 s and then reported the database down)."""
    cookies = served.admin_cookie(served.new_identity())
    with served.database.transaction() as session:
        roles.set_role(
            served.context(session),
            subject=served.new_identity(),
            app_slug="dashboard",
            role="user",
        )
        session.flush()
        with httpx.Client(base_url=served.server.url, cookies=cookies, timeout=30) as client:
            # The writer holds its lock until this block ends: a read that waited for it would
            # give up after the busy timeout with a 503, so a 200 is the proof, not a stopwatch.
            answer = client.get(path)
    assert answer.status_code == 200, answer.text
