"""The users search answers from the search projection: complete (however deep in Kratos a
match lies), in step with every write of ours, and with Kratos's own changes after reconcile.

On SQLite and MariaDB, against the stand-ins and (ORY=real) real Kratos."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import httpx
from dashboard_api import reconcile as reconciliation
from dashboard_api.actors import Actor
from dashboard_api.context import Context
from dashboard_api.db import Database
from dashboard_api.models import App, Role, UserAppRole
from dashboard_api.roles import repository as roles_repository
from dashboard_api.search import repository
from dashboard_api.search.terms import (
    Entry,
    entry_from,
    matches,
    needle_of,
    shared_prefixes,
    terms_of,
)
from devstack.ports import free_port
from devstack.stack import OryStackBase
from sqlalchemy import insert, select
from stackspin_clients.models import CreateIdentity

if TYPE_CHECKING:
    from conftest import Served

KRATOS_PAGE = 100


def test_a_search_matches_the_start_of_any_word_of_email_username_or_name() -> None:
    entry = entry_from(
        "s", {"email": "Ada.Lovelace@Example.org", "name": "Jean-Luc  Picard"}, "active"
    )
    assert entry.terms() == {
        "ada.lovelace@example.org",
        "lovelace@example.org",
        "example.org",
        "org",
        "jean-luc picard",
        "luc picard",
        "picard",
    }
    assert terms_of(["élodie_b"]) == {"élodie_b", "b"}
    assert entry == Entry("s", "ada.lovelace@example.org", None, "jean-luc picard", "active")


def test_matching_an_entry_agrees_with_its_terms() -> None:
    long_name = "x" * 250 + " abc def"
    values = [
        {"email": "Ada.Lovelace@Example.org", "name": "Jean-Luc  Picard"},
        {"username": "élodie_b", "name": "Ωmega Straße 9"},
        {"email": "a_b@c.d", "username": "__init__", "name": long_name},
        {"name": "lalala"},
    ]
    needles = [
        "",
        "a",
        "ada",
        "lovelace@",
        "org",
        "luc p",
        "_b",
        "b",
        "init",
        "__",
        "ωmega",
        "strasse",
        "9",
        "la",
        "ala",
        "abc",
        "x" * 254,
        "xx",
        long_name,
        "c.d",
        "d",
    ]
    for traits in values:
        entry = entry_from("s", traits, "active")
        for raw in needles:
            needle = needle_of(raw) if raw else None
            if needle is None:
                continue
            expected = any(term.startswith(needle) for term in entry.terms())
            assert matches(entry, needle) is expected, (traits, needle)
    assert needle_of("a" * 253 + "  b") == "a" * 253


def test_each_term_knows_how_much_of_its_start_a_smaller_term_shares() -> None:
    assert shared_prefixes({"mills", "mia mills", "mia.mills@mail.org", "mail.org", "org"}) == [
        ("mail.org", 0),
        ("mia mills", 1),
        ("mia.mills@mail.org", 3),
        ("mills", 2),
        ("org", 0),
    ]
    assert shared_prefixes({"ab", "abc"}) == [("ab", 0), ("abc", 2)]


def _every_page(database: Database, needle: str, limit: int) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    after = None
    with database.session(read_only=True) as session:
        for _ in range(1000):
            rows, after = repository.page(session, needle, limit=limit, after=after)
            assert len(rows) <= limit
            found += rows
            if after is None:
                return found
    raise AssertionError("the pages never ended")


def test_pages_list_each_match_once_at_its_smallest_matching_term(database: Database) -> None:
    """Followed to the end, the pages hold every person with a matching term, once, ordered by
    their smallest matching term, then id: on both databases, at any page size."""
    run = f"t{uuid.uuid4().hex[:6]}"
    people = [
        entry_from(
            f"{run}-{n:03}",
            {
                "email": f"{run}{first}.{run}{last}{n % 3}@{run}mail.org",
                "name": f"{run}{first} {run}{last}",
                **({"username": f"{run}{first[0]}{last}"} if n % 2 else {}),
            },
            "active",
        )
        for n, (first, last) in enumerate(
            (first, last)
            for first in ("mia", "milo", "ada", "mila")
            for last in ("mills", "mulder", "lovelace")
        )
    ]
    with database.transaction() as session:
        repository.replace(session, people)
    for needle in (run, f"{run}m", f"{run}mi", f"{run}mil", f"{run}mia {run}m", f"{run}mail"):
        expected = sorted(
            (min(t for t in e.terms() if t.startswith(needle)), e.subject)
            for e in people
            if any(t.startswith(needle) for t in e.terms())
        )
        assert expected, needle
        for limit in (1, 2, 3, 5, 100):
            assert _every_page(database, needle, limit) == expected, (needle, limit)
    assert _every_page(database, f"{run}zz", 10) == []


def test_a_page_with_roles_is_the_page_and_its_peoples_assignments(database: Database) -> None:
    run = f"r{uuid.uuid4().hex[:6]}"
    people = [
        entry_from(f"{run}-{n:02}", {"email": f"{run}{n}@x.org", "name": f"{run} {n}"}, "active")
        for n in range(12)
    ]
    with database.transaction() as session:
        repository.replace(session, people)
        session.execute(insert(App).values(slug=f"{run}-wiki", name="Wiki", url="http://wiki/"))
        apps = dict(session.execute(select(App.slug, App.id)).all())
        roles = dict(session.execute(select(Role.name, Role.id)).all())
        # Some with no role, some with one, some with two (the second app sorts after).
        held = [(p.subject, "dashboard", "user") for p in people[::2]]
        held += [(p.subject, f"{run}-wiki", "admin") for p in people[::3]]
        session.execute(
            insert(UserAppRole),
            [{"subject": s, "app_id": apps[a], "role_id": roles[r]} for s, a, r in held],
        )
    with database.session(read_only=True) as session:
        for limit in (1, 5, 100):
            after = None
            while True:
                listed, going_on, assigned = repository.page_with_roles(
                    session, run, limit=limit, after=after
                )
                expected, expected_next = repository.page(session, run, limit=limit, after=after)
                assert (listed, going_on) == (expected, expected_next)
                wanted = roles_repository.assignments_for(session, [s for _, s in listed])
                assert assigned == {s: wanted.get(s, []) for _, s in listed}
                if going_on is None:
                    break
                after = going_on


def _admin(alone: Served) -> httpx.Client:
    cookies = alone.admin_cookie(alone.new_identity())
    return httpx.Client(base_url=alone.server.url, cookies=cookies, timeout=120)


def _search(client: httpx.Client, q: str, limit: int = 100) -> list[dict[str, Any]]:
    """Every page of a search, followed to its end."""
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"q": q, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/users", params=params)
        assert page.status_code == 200, page.text
        found.extend(page.json()["items"])
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return found


@contextmanager
def _unit_of_work(alone: Served, read_only: bool) -> Iterator[Context]:
    with alone.database.transaction(read_only=read_only) as session:
        yield Context(session=session, ory=alone.ory, settings=alone.settings, actor=Actor.cli())


def _reconcile(alone: Served, *, repair: bool) -> reconciliation.Report:
    return reconciliation.report_then_repair(
        lambda read_only: _unit_of_work(alone, read_only), repair=repair
    )


def _kratos_pages(alone: Served) -> dict[str, int]:
    """identity id -> the page (0-based, of KRATOS_PAGE) Kratos lists it on."""
    pages: dict[str, int] = {}
    token = None
    page_number = 0
    while True:
        page = alone.ory.kratos.list_identities(page_size=KRATOS_PAGE, page_token=token)
        pages.update((i.id, page_number) for i in page.identities)
        if not page.next_page_token:
            return pages
        token, page_number = page.next_page_token, page_number + 1


def test_every_match_is_found_however_deep_in_kratos_it_lies(alone: Served) -> None:
    """600 matches among 4100 identities: some lie past Kratos's 40th page (of 100), where
    the former bounded scan (4 pages of 500) never looked; the search finds each once."""
    run = uuid.uuid4().hex[:8]
    for start in range(0, 3500, 250):  # small batches: each within the client's timeout
        alone.ory.kratos.batch_create_identities(
            [
                CreateIdentity(
                    traits={"email": f"filler-{run}-{n}@example.org", "name": f"Filler {n}"},
                    state="active",
                )
                for n in range(start, min(start + 250, 3500))
            ]
        )
    with _admin(alone) as admin:
        users = [
            {"email": f"m{n}-{run}@example.org", "name": f"Ada Needlework{run} {n}"}
            for n in range(600)
        ]
        made = admin.post("/api/v1/users/batch", json={"users": users})
        assert made.status_code == 200, made.text
        assert made.json()["created"] == 600, made.text
        wanted = {r["id"] for r in made.json()["results"]}
        pages = _kratos_pages(alone)
        deepest = max(wanted, key=pages.__getitem__)
        assert pages[deepest] >= 40  # the premise: a match past page 40
        email = next(r["email"] for r in made.json()["results"] if r["id"] == deepest)
        one = admin.get("/api/v1/users", params={"q": email.split("@")[0] + "@"}).json()
        assert ([u["id"] for u in one["items"]], one["next_cursor"]) == ([deepest], None)

        found = _search(admin, f"needlework{run}", limit=100)
        assert len(found) == 600
        assert {u["id"] for u in found} == wanted
        # In the order of the matched text; another word's start, any case, finds them too.
        assert [u["name"] for u in found] == sorted(u["name"] for u in found)
        assert len(_search(admin, f"NEEDLEWORK{run} 59", limit=500)) == 11  # 59, 590..599
        assert len(_search(admin, f"m1-{run}@", limit=500)) == 1
        assert _search(admin, f"work{run}") == []  # not the start of a word


def test_a_name_changed_on_the_kratos_settings_page_is_found_after_reconcile(
    alone: Served,
) -> None:
    person, token = alone.settings_session()  # made in Kratos directly, as "Settings Person"
    with _admin(alone) as admin:
        assert person not in {u["id"] for u in _search(admin, "settings person")}
        assert person in _reconcile(alone, repair=True).search_drift
        assert [u["id"] for u in _search(admin, "settings person")] == [person]

        new_name = f"Grace Renamed{uuid.uuid4().hex[:8]}"
        _save_name(alone, token, new_name)

        # Until reconcile the entry is stale: never shown under the name Kratos no longer has.
        assert _search(admin, "settings person") == []
        assert _search(admin, new_name) == []
        assert _reconcile(alone, repair=False).search_drift == [person]
        _reconcile(alone, repair=True)
        assert [(u["id"], u["name"]) for u in _search(admin, new_name)] == [(person, new_name)]
        assert [u["id"] for u in _search(admin, "renamed")] == [person]
        assert _reconcile(alone, repair=False).clean


HOOK_PATH = "/internal/v1/kratos/identity-changed"


def _save_name(alone: Served, token: str, name: str) -> None:
    """Save a new name on Kratos's settings flow (the API flow: the page posts the same)."""
    public = alone.settings.kratos_public_url.rstrip("/")
    with httpx.Client(timeout=30, headers={"X-Session-Token": token}) as kratos:
        flow = kratos.get(f"{public}/self-service/settings/api").json()
        email = next(
            n["attributes"]["value"]
            for n in flow["ui"]["nodes"]
            if n["attributes"].get("name") == "traits.email"
        )
        changed = kratos.post(
            flow["ui"]["action"],
            json={"method": "profile", "traits": {"email": email, "name": name}},
        )
        assert changed.status_code == 200, changed.text


def test_a_name_saved_on_the_settings_page_is_found_at_once_through_kratos_web_hook(
    alone: Served, ory_stack: OryStackBase
) -> None:
    """deploy/ory/kratos.yml's settings web_hook: Kratos (the stand-in, or real Kratos running
    identity-changed.jsonnet) tells dashboard-api, which re-reads the entry — no reconcile."""
    ory_stack.kratos_config.profile_hook_url = alone.server.url + HOOK_PATH
    ory_stack.kratos_config.profile_hook_token = alone.settings.kratos_hook_token
    ory_stack.apply()  # real Kratos restarts with the hook
    person, token = alone.settings_session()
    new_name = f"Hooked Renamed{uuid.uuid4().hex[:8]}"
    with _admin(alone) as admin:
        _save_name(alone, token, new_name)
        # Asynchronous in Kratos (`response.ignore`): it arrives soon after the answer.
        deadline = time.monotonic() + 20
        while (found := _search(admin, new_name)) == [] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [(u["id"], u["name"]) for u in found] == [(person, new_name)]
        assert person not in _reconcile(alone, repair=False).search_drift


def test_a_profile_saves_while_the_web_hook_receiver_is_down(
    alone: Served, ory_stack: OryStackBase
) -> None:
    """The hook is a notification: nobody's save waits for, or fails with, dashboard-api."""
    ory_stack.kratos_config.profile_hook_url = f"http://127.0.0.1:{free_port()}{HOOK_PATH}"
    ory_stack.kratos_config.profile_hook_token = alone.settings.kratos_hook_token
    ory_stack.apply()
    person, token = alone.settings_session()
    _save_name(alone, token, "Saved Anyway")
    assert alone.ory.kratos.get_identity(person).traits["name"] == "Saved Anyway"


def test_the_web_hook_takes_only_kratos_own_token_and_names_an_identity(api, settings) -> None:
    someone = str(uuid.uuid4())
    kratos_token = settings.kratos_hook_token
    assert kratos_token
    with httpx.Client(base_url=api.url, timeout=30) as client:
        for headers in (
            {},
            {"Authorization": f"Bearer {settings.internal_token}"},  # login-service's token
            {"Authorization": f"Bearer {kratos_token[:-1]}"},
        ):
            refused = client.post(HOOK_PATH, json={"identity_id": someone}, headers=headers)
            assert refused.status_code == 401, refused.text
            assert refused.headers["content-type"] == "application/problem+json"
        hook = {"Authorization": f"Bearer {kratos_token}"}
        for body in ({}, {"identity_id": "not-an-id"}, {"identity_id": someone, "traits": {}}):
            bad = client.post(HOOK_PATH, json=body, headers=hook)
            assert bad.status_code == 422, (body, bad.text)
            assert bad.headers["content-type"] == "application/problem+json"
        # Someone Kratos does not hold: nothing to index, and nothing fails.
        gone = client.post(HOOK_PATH, json={"identity_id": someone}, headers=hook)
        assert gone.status_code == 204, gone.text


def test_writes_through_the_api_keep_the_search_in_step(alone: Served) -> None:
    run = uuid.uuid4().hex[:8]
    with _admin(alone) as admin:
        made = admin.post(
            "/api/v1/users",
            json={"email": f"Keep-{run}@Example.org", "name": "Keeping Step", "username": run},
        )
        assert made.status_code == 201, made.text
        subject = made.json()["id"]
        for q in (f"keep-{run}", run, "step", "keeping st"):
            assert [u["id"] for u in _search(admin, q)] == [subject], q

        changed = admin.patch(
            f"/api/v1/users/{subject}", json={"name": f"Other Name{run}", "state": "inactive"}
        )
        assert changed.status_code == 200, changed.text
        assert _search(admin, "keeping") == []
        assert [(u["id"], u["state"]) for u in _search(admin, f"name{run}")] == [
            (subject, "inactive")
        ]
        with alone.database.session() as session:
            (entry,) = [
                e for e in repository.entries_page(session, limit=500) if e.subject == subject
            ]
        assert entry == Entry(
            subject, f"keep-{run}@example.org", run, f"other name{run}", "inactive"
        )

        assert admin.delete(f"/api/v1/users/{subject}").status_code == 204
        assert _search(admin, run) == []
        with alone.database.session() as session:
            assert subject not in {e.subject for e in repository.entries_page(session, limit=500)}


def test_an_identity_deleted_in_kratos_disappears_at_once_and_its_entry_at_reconcile(
    alone: Served,
) -> None:
    run = uuid.uuid4().hex[:8]
    with _admin(alone) as admin:
        made = admin.post("/api/v1/users", json={"email": f"gone-{run}@example.org"})
        subject = made.json()["id"]
        assert [u["id"] for u in _search(admin, f"gone-{run}")] == [subject]
        alone.ory.kratos.delete_identity(subject)
        assert _search(admin, f"gone-{run}") == []
        assert subject in _reconcile(alone, repair=False).search_drift
        _reconcile(alone, repair=True)
        with alone.database.session() as session:
            assert subject not in {e.subject for e in repository.entries_page(session, limit=500)}


def test_a_person_made_in_kratos_directly_is_found_once_reconciled(alone: Served) -> None:
    """No Kratos lookup on a miss: real Kratos v1.3.1 takes seconds for an identifier lookup
    among a few thousand identities (SQLite store), so the projection alone answers."""
    run = uuid.uuid4().hex[:8]
    outside = alone.ory.kratos.create_identity(
        CreateIdentity(
            traits={"email": f"out-{run}@example.org", "username": f"out{run}"}, state="active"
        )
    )
    with _admin(alone) as admin:
        assert _search(admin, f"out-{run}@example.org") == []
        _reconcile(alone, repair=True)
        for q in (f"OUT-{run}@example.org", f"out{run}", "example.org"):
            assert outside.id in [u["id"] for u in _search(admin, q)], q


def test_the_seeded_admin_made_in_kratos_is_found_without_a_reconcile(alone: Served) -> None:
    """`seed --admin-subject` (make dev, the container bootstrap) names someone made in Kratos:
    the seed writes their entry, so the search and an import's checks know them at once."""
    from dashboard_api import bootstrap

    run = uuid.uuid4().hex[:8]
    made = alone.ory.kratos.create_identity(
        CreateIdentity(
            traits={"email": f"first-{run}@example.org", "name": "Grace"}, state="active"
        )
    )
    bootstrap.seed(alone.settings, admin_subject=made.id)
    with _admin(alone) as admin:
        assert [u["id"] for u in _search(admin, f"first-{run}@")] == [made.id]
