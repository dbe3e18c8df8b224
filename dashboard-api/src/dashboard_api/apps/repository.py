"""Queries on apps and their OAuth2 client links."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dashboard_api.apps.models import App, OAuthClientLink
from dashboard_api.roles.models import Role, UserAppRole


def get_by_slug(session: Session, slug: str) -> App | None:
    return session.scalar(select(App).where(App.slug == slug))


def slugs_to_ids(session: Session, slugs: Sequence[str]) -> dict[str, int]:
    if not slugs:
        return {}
    rows = session.execute(select(App.slug, App.id).where(App.slug.in_(slugs))).all()
    return dict(rows)


def names_by_slug(session: Session, slugs: Collection[str]) -> dict[str, str]:
    if not slugs:
        return {}
    return dict(session.execute(select(App.slug, App.name).where(App.slug.in_(slugs))).all())


def list_apps(session: Session) -> Sequence[App]:
    return session.scalars(select(App).options(selectinload(App.clients)).order_by(App.slug)).all()


def apps_with_role(session: Session, subject: str) -> list[tuple[App, str]]:
    """The subject's direct roles (not through groups), with their apps."""
    rows = session.execute(
        select(App, Role.name)
        .join(UserAppRole, UserAppRole.app_id == App.id)
        .join(Role, Role.id == UserAppRole.role_id)
        .where(UserAppRole.subject == subject)
        .order_by(App.slug)
    ).all()
    return [(app, role) for app, role in rows]


def apps_by_ids(session: Session, app_ids: Collection[int]) -> list[App]:
    if not app_ids:
        return []
    return list(session.scalars(select(App).where(App.id.in_(list(app_ids))).order_by(App.slug)))


def add(session: Session, app: App) -> None:
    session.add(app)


def delete(session: Session, app: App) -> None:
    session.delete(app)


def get_client_link(session: Session, client_id: str) -> OAuthClientLink | None:
    return session.get(OAuthClientLink, client_id)


def app_for_client(session: Session, client_id: str) -> App | None:
    return session.scalar(
        select(App)
        .join(OAuthClientLink, OAuthClientLink.app_id == App.id)
        .where(OAuthClientLink.client_id == client_id)
    )


def client_ids(session: Session, app_id: int) -> list[str]:
    return list(
        session.scalars(
            select(OAuthClientLink.client_id)
            .where(OAuthClientLink.app_id == app_id)
            .order_by(OAuthClientLink.client_id)
        ).all()
    )


def all_client_ids(session: Session) -> list[str]:
    """Every linked client id, of any app, sorted."""
    return list(
        session.scalars(select(OAuthClientLink.client_id).order_by(OAuthClientLink.client_id))
    )


def link_client(session: Session, app_id: int, client_id: str) -> OAuthClientLink:
    link = OAuthClientLink(client_id=client_id, app_id=app_id)
    session.add(link)
    return link


def unlink_client(session: Session, link: OAuthClientLink) -> None:
    session.delete(link)


def slugs_by_id(session: Session, app_ids: Collection[int]) -> dict[int, str]:
    if not app_ids:
        return {}
    rows = session.execute(select(App.id, App.slug).where(App.id.in_(list(app_ids)))).all()
    return dict(rows)
