"""Parallel writes from an admin's dashboard lose nothing, on SQLite and on MariaDB.

Each test serves dashboard-api over HTTP on a fresh migrated database of the session's backend
and sends its requests from threads released together by a barrier.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx
import pytest
from dashboard_api.apps import service as apps_service
from dashboard_api.apps.schemas import AppCreate
from dashboard_api.roles import repository as roles_repository
from dashboard_api.roles import service as roles
from dashboard_api.roles.models import UserAppRole
from sqlalchemy import select
from stackspin_clients import errors as ory_errors

if TYPE_CHECKING:
    from conftest import Served

PROBLEM = "application/problem+json"


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


def test_simultaneous_demotions_keep_one_admin(alone: Served) -> None:
    first, second = alone.new_identity(), alone.new_identity()
    cookies = {subject: alone.admin_cookie(subject) for subject in (first, second)}
    order = [first, second]

    def demote_self(index: int) -> httpx.Response:
        subject = order[index]
        with httpx.Client(base_url=alone.server.url, cookies=cookies[subject]) as client:
            return client.patch(
                f"/api/v1/users/{subject}", json={"roles": [{"app": "dashboard", "role": "user"}]}
            )

    assert statuses(in_parallel(2, demote_self)) == [200, 409]
    with alone.database.session() as session:
        ctx = alone.context(session)
        assert roles.is_dashboard_admin(ctx, subject=first) != roles.is_dashboard_admin(
            ctx, subject=second
        )


def test_parallel_creates_of_distinct_users_all_succeed(alone: Served) -> None:
    cookies = alone.admin_cookie(alone.new_identity())
    emails = [f"p{i}-{uuid.uuid4().hex[:8]}@example.org" for i in range(20)]

    def create(index: int) -> httpx.Response:
        with httpx.Client(base_url=alone.server.url, cookies=cookies, timeout=60) as client:
            return client.post("/api/v1/users", json={"email": emails[index], "name": "P"})

    responses = in_parallel(20, create)
    assert statuses(responses) == [201] * 20, [r.text for r in responses if r.status_code != 201]
    with alone.database.session() as session:
        for response, email in zip(responses, emails, strict=True):
            assert response.json()["email"] == email
            assert roles_repository.has_any_role(session, response.json()["id"])
    for email in emails:
        assert len(alone.ory.kratos.list_identities(credentials_identifier=email).identities) == 1


def test_parallel_creates_of_one_email_leave_exactly_one_user(
    alone: Served,
) -> None:
    cookies = alone.admin_cookie(alone.new_identity())
    email = f"same-{uuid.uuid4().hex[:8]}@example.org"

    def create(index: int) -> httpx.Response:
        with httpx.Client(base_url=alone.server.url, cookies=cookies, timeout=60) as client:
            return client.post(
                "/api/v1/users", json={"email": email, "name": f"Try {index}", "invite": True}
            )

    responses = in_parallel(6, create)
    created = [r for r in responses if r.status_code == 201]
    refused = [r for r in responses if r.status_code != 201]
    assert created, [r.text for r in responses]
    assert all(r.status_code == 409 for r in refused), [r.text for r in refused]
    assert all(r.headers["content-type"].startswith(PROBLEM) for r in refused)
    found = alone.ory.kratos.list_identities(credentials_identifier=email).identities
    assert len(found) == 1
    assert {r.json()["id"] for r in created} == {found[0].id}
    with httpx.Client(base_url=alone.server.url, cookies=cookies) as client:
        user = client.get(f"/api/v1/users/{found[0].id}")
    assert user.status_code == 200
    # Nobody else's traits were written over the winner's.
    assert user.json()["name"] == created[0].json()["name"]
    assert user.json()["roles"] == [{"app": "dashboard", "role": "user"}]


def _orphan_role_subjects(alone: Served) -> set[str]:
    """Subjects holding roles here that Kratos does not know: half-made users."""
    with alone.database.transaction() as session:
        subjects = set(session.scalars(select(UserAppRole.subject)))
    return {s for s in subjects if not _exists(alone, s)}


def _exists(alone: Served, subject: str) -> bool:
    try:
        alone.ory.kratos.get_identity(subject)
    except ory_errors.NotFound:
        return False
    return True


def test_parallel_creates_of_one_username_in_other_case_make_one_user(alone: Served) -> None:
    cookies = alone.admin_cookie(alone.new_identity())
    name = f"Same-{uuid.uuid4().hex[:8]}"

    def create(index: int) -> httpx.Response:
        with httpx.Client(base_url=alone.server.url, cookies=cookies, timeout=60) as client:
            username = name.upper() if index else name.lower()
            body = {"email": f"u{index}-{name}@example.org", "username": username}
            return client.post("/api/v1/users", json=body)

    responses = in_parallel(2, create)
    assert statuses(responses) == [201, 409], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert refused.json()["field"] == "username"
    assert len(alone.ory.kratos.list_identities(credentials_identifier=name).identities) == 1
    assert not _orphan_role_subjects(alone)


def test_a_create_and_an_update_racing_for_one_username_let_one_win(alone: Served) -> None:
    cookies = alone.admin_cookie(alone.new_identity())
    existing = alone.new_identity()
    name = f"race-{uuid.uuid4().hex[:8]}"

    def change(index: int) -> httpx.Response:
        with httpx.Client(base_url=alone.server.url, cookies=cookies, timeout=60) as client:
            if index:
                return client.patch(f"/api/v1/users/{existing}", json={"username": name.upper()})
            body = {"email": f"new-{name}@example.org", "username": name}
            return client.post("/api/v1/users", json=body)

    responses = in_parallel(2, change)
    codes = [r.status_code for r in responses]
    assert sorted(codes) in ([200, 409], [201, 409]), [r.text for r in responses]
    assert next(r for r in responses if r.status_code == 409).json()["field"] == "username"
    holders = alone.ory.kratos.list_identities(credentials_identifier=name).identities
    assert len(holders) == 1
    winner = holders[0].id
    assert winner == (existing if codes[1] == 200 else responses[0].json()["id"])
    assert not _orphan_role_subjects(alone)


def test_a_create_and_a_settings_page_change_racing_for_one_username_let_one_win(
    alone: Served,
) -> None:
    """The username is taken on the Kratos settings flow (what the settings page submits) and
    through dashboard-api at once: Kratos's identifier index lets exactly one have it."""
    cookies = alone.admin_cookie(alone.new_identity())
    person, token = alone.settings_session()
    public = alone.settings.kratos_public_url.rstrip("/")
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
        with httpx.Client(base_url=alone.server.url, cookies=cookies, timeout=60) as client:
            return client.post(
                "/api/v1/users", json={"email": f"new-{name}@example.org", "username": name}
            )

    created, settings = in_parallel(2, change)
    won = (created.status_code == 201, settings.status_code == 200)
    assert won in ((True, False), (False, True)), (created.text, settings.text)
    if created.status_code != 201:
        assert created.status_code == 409, created.text
        assert created.json()["field"] == "username"
    holders = alone.ory.kratos.list_identities(credentials_identifier=name).identities
    assert [h.id for h in holders] == [
        person if settings.status_code == 200 else created.json()["id"]
    ]
    assert not _orphan_role_subjects(alone)


def test_batch_and_single_creates_of_the_same_email_make_one_user(alone: Served) -> None:
    """Each email is sent once alone and once in a batch (of one: real Kratos answers a batch
    with a duplicate in it by creating none of the others, while reporting them created)."""
    cookies = alone.admin_cookie(alone.new_identity())
    emails = [f"b{i}-{uuid.uuid4().hex[:8]}@example.org" for i in range(10)]

    def create(index: int) -> httpx.Response:
        email, batched = emails[index // 2], index % 2 == 1
        with httpx.Client(base_url=alone.server.url, cookies=cookies, timeout=60) as client:
            body = {"email": email, "name": "Batch" if batched else "Single"}
            if batched:
                return client.post("/api/v1/users/batch", json={"users": [body]})
            return client.post("/api/v1/users", json=body)

    responses = in_parallel(2 * len(emails), create)
    for number, email in enumerate(emails):
        single, batch = responses[2 * number], responses[2 * number + 1]
        assert batch.status_code == 200, batch.text
        (result,) = batch.json()["results"]
        found = alone.ory.kratos.list_identities(credentials_identifier=email).identities
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
        with alone.database.session() as session:
            assert roles_repository.has_any_role(session, found[0].id)


def test_parallel_role_changes_end_in_one_requests_roles(alone: Served) -> None:
    cookies = alone.admin_cookie(alone.new_identity())
    person = alone.new_identity()
    slugs = [f"app{i}" for i in range(3)]
    with alone.database.transaction() as session:
        ctx = alone.context(session)
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
        with httpx.Client(base_url=alone.server.url, cookies=cookies, timeout=60) as client:
            return client.patch(f"/api/v1/users/{person}", json={"roles": wanted[index]})

    responses = in_parallel(20, change)
    assert statuses(responses) == [200] * 20, [r.text for r in responses if r.status_code != 200]
    with httpx.Client(base_url=alone.server.url, cookies=cookies) as client:
        final = client.get(f"/api/v1/users/{person}").json()["roles"]
    as_set = {(r["app"], r["role"]) for r in final}
    assert as_set in [{(r["app"], r["role"]) for r in plan} for plan in wanted]


@pytest.mark.parametrize("path", ["/readyz", "/api/v1/users", "/api/v1/me/apps"])
def test_reads_do_not_wait_for_a_writer(alone: Served, path: str) -> None:
    """SQLite writers hold the write lock for a whole request; a GET that only reads does not
    wait for it (before, /readyz waited 15 s and then reported the database down)."""
    cookies = alone.admin_cookie(alone.new_identity())
    with alone.database.transaction() as session:
        roles.set_role(
            alone.context(session),
            subject=alone.new_identity(),
            app_slug="dashboard",
            role="user",
        )
        session.flush()
        with httpx.Client(base_url=alone.server.url, cookies=cookies, timeout=30) as client:
            # The writer holds its lock until this block ends: a read that waited for it would
            # give up after the busy timeout with a 503, so a 200 is the proof, not a stopwatch.
            answer = client.get(path)
    assert answer.status_code == 200, answer.text
