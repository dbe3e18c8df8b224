"""Seeding a fresh (or existing) installation: the `dashboard` app, its client, the first admin
and any further apps. One place for the CLI's `seed`, the devstack runner and the container
bootstrap; every step is safe to repeat. Callers pass a `Settings`; nothing reads the environment.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from stackspin_clients.errors import OryError

from dashboard_api.actors import Actor
from dashboard_api.apps import service as apps
from dashboard_api.apps.models import DASHBOARD_APP_SLUG
from dashboard_api.config import Settings
from dashboard_api.context import Context
from dashboard_api.db import Database
from dashboard_api.errors import DomainError
from dashboard_api.ory import OryClients
from dashboard_api.roles import service as roles
from dashboard_api.search import service as search
from dashboard_api.users import creation
from dashboard_api.users.schemas import AppRole, UserCreate


class SeedError(Exception):
    """Seeding stopped (nothing of that transaction was written); the message says why."""


@dataclass(frozen=True)
class SeedApp:
    """An app to have, with the Hydra clients linked to it and the roles people have on it."""

    slug: str
    name: str
    url: str | None = None
    client_ids: Sequence[str] = ()
    roles: dict[str, str] = field(default_factory=dict)  # subject → "admin" | "user"


def seed_with(
    ctx: Context,
    *,
    admin_subject: str | None = None,
    dashboard_client_id: str | None = None,
    apps_to_have: Sequence[SeedApp] = (),
) -> None:
    """The seeding itself inside the caller's unit of work (the CLI's `seed` uses its own)."""
    apps.ensure_app(
        ctx,
        slug=DASHBOARD_APP_SLUG,
        name="Dashboard",
        url=ctx.settings.public_base + "/",
        trusted=True,
    )
    if dashboard_client_id:
        apps.link_client(ctx, slug=DASHBOARD_APP_SLUG, client_id=dashboard_client_id)
    seeded: set[str] = set()
    if admin_subject:
        roles.set_role(ctx, subject=admin_subject, app_slug=DASHBOARD_APP_SLUG, role="admin")
        seeded.add(admin_subject)
    for wanted in apps_to_have:
        apps.ensure_app(ctx, slug=wanted.slug, name=wanted.name, url=wanted.url, trusted=False)
        for client_id in wanted.client_ids:
            apps.link_client(ctx, slug=wanted.slug, client_id=client_id)
        for subject, role in wanted.roles.items():
            roles.set_role(ctx, subject=subject, app_slug=wanted.slug, role=role)
            seeded.add(subject)
    if seeded:  # made in Kratos, not by us: the search and the import's checks know them now
        search.refresh(ctx, subjects=sorted(seeded))


def seed(
    settings: Settings,
    *,
    admin_subject: str | None = None,
    dashboard_client_id: str | None = None,
    apps_to_have: Sequence[SeedApp] = (),
) -> None:
    """`seed_with` in one transaction of its own; raises SeedError when anything refuses."""
    with _unit_of_work(settings) as ctx:
        seed_with(
            ctx,
            admin_subject=admin_subject,
            dashboard_client_id=dashboard_client_id,
            apps_to_have=apps_to_have,
        )


def invite_admin(settings: Settings, *, email: str, name: str = "Admin") -> str:
    """Create a dashboard admin and mail them an invitation; returns the identity id."""
    data = UserCreate(
        email=email, name=name, roles=[AppRole(app=DASHBOARD_APP_SLUG, role="admin")], invite=True
    )
    with _unit_of_work(settings) as ctx:
        return creation.create_user(ctx, data=data).id


@contextmanager
def _unit_of_work(settings: Settings) -> Iterator[Context]:
    database = Database.from_url(settings.database_url, settings.database_timeouts)
    ory = OryClients.from_settings(settings)
    try:
        with database.transaction() as session:
            yield Context(session=session, ory=ory, settings=settings, actor=Actor.cli())
    except DomainError as exc:
        raise SeedError(f"{exc.detail} ({exc.status})") from exc
    except OryError as exc:
        raise SeedError(f"Hydra/Kratos: {exc}") from exc
    except SQLAlchemyError as exc:
        where = make_url(settings.database_url).render_as_string(hide_password=True)
        reason = exc.orig if isinstance(exc, DBAPIError) else exc
        raise SeedError(f"The database {where}: {reason}") from exc
    finally:
        ory.close()
        database.dispose()
