"""Scale seeding for `make bench`: many identities written straight into the Kratos stand-in's
SQLite file, and their roles and search entries into dashboard-api's database — seconds, not
100k HTTP calls.

Each identity is built by the stand-in's own code (`identities.new_identity` and `derive`), so
it is stored exactly as one created through the admin API without a password would be.
"""

from __future__ import annotations

from pathlib import Path

from dashboard_api.apps.models import App
from dashboard_api.db import Database
from dashboard_api.roles.models import USER, Role, UserAppRole
from dashboard_api.search import repository
from dashboard_api.search.terms import entry_from
from sqlalchemy import create_engine, insert, select

from devstack.kratos import identities
from devstack.kratos.config import KratosConfig
from devstack.kratos.store import Store

BATCH = 5000
# Every person has a role on the dashboard; every SECOND_APP_EVERY-th one on a second app too.
SECOND_APP = "wiki"
SECOND_APP_EVERY = 3


def traits_of(n: int) -> dict[str, str]:
    """The traits of seeded person `n`."""
    return {"email": f"person{n:06}@example.org", "name": f"Person {n}"}


def seed_identities(database: Path, config: KratosConfig, *, first: int, count: int) -> list[str]:
    """Identities `person<first>` … `person<first+count-1>` in the stand-in's store at
    `database` (safe while the stand-in serves it: SQLite WAL); their ids."""
    store = Store(str(database))
    ids: list[str] = []
    try:
        for start in range(first, first + count, BATCH):
            docs = []
            keys: list[tuple[str, str]] = []
            for n in range(start, min(start + BATCH, first + count)):
                identity = identities.new_identity(config, traits_of(n))
                identities.derive(config, identity)
                docs.append(identity)
                keys += [(key, identity["id"]) for key in identities.unique_keys(identity)]
            store.insert_many(identities.KIND, docs, identities.IDENTIFIER_KIND, keys)
            ids += [d["id"] for d in docs]
    finally:
        store.close()
    return ids


def seed_roles(database_url: str, subjects: list[str], *, first: int) -> None:
    """Role `user` on the dashboard app for each of `subjects`, and on a second app for every
    SECOND_APP_EVERY-th (counted from `first`); the second app is made when missing."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            dashboard = conn.scalar(select(App.id).where(App.slug == "dashboard"))
            if dashboard is None:
                raise RuntimeError("seed dashboard-api first (the dashboard app is missing)")
            second = conn.scalar(select(App.id).where(App.slug == SECOND_APP))
            if second is None:
                conn.execute(
                    insert(App).values(slug=SECOND_APP, name="Wiki", url="http://127.0.0.1:9/")
                )
                second = conn.scalar(select(App.id).where(App.slug == SECOND_APP))
            user = conn.scalar(select(Role.id).where(Role.name == USER))
            rows = [{"subject": s, "app_id": dashboard, "role_id": user} for s in subjects]
            rows += [
                {"subject": s, "app_id": second, "role_id": user}
                for n, s in enumerate(subjects, start=first)
                if n % SECOND_APP_EVERY == 0
            ]
            for start in range(0, len(rows), BATCH):
                conn.execute(insert(UserAppRole), rows[start : start + BATCH])
    finally:
        engine.dispose()


def seed_search(database_url: str, subjects: list[str], *, first: int) -> None:
    """dashboard-api's search projection of seeded `subjects` (person `first` onwards), the
    entries its own writes make for an active identity with those traits."""
    database = Database.from_url(database_url)
    try:
        with database.transaction() as session:
            for start in range(0, len(subjects), BATCH):
                chunk = subjects[start : start + BATCH]
                entries = [
                    entry_from(subject, traits_of(n), "active")
                    for n, subject in enumerate(chunk, start=first + start)
                ]
                repository.replace(session, entries)
    finally:
        database.dispose()


def id_at(database: Path, position: int) -> str:
    """The id of the identity at `position` in Kratos's listing order (by id), for a deep page."""
    store = Store(str(database))
    try:
        found = store.id_at(identities.KIND, position)
    finally:
        store.close()
    if found is None:
        raise ValueError(f"no identity at position {position}")
    return found
