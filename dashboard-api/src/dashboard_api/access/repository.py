"""Queries revocation needs: which OAuth2 clients belong to which apps."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard_api.apps.models import OAuthClientLink


def client_ids_by_app(session: Session, app_ids: Collection[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    wanted = sorted(app_ids)
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(OAuthClientLink.app_id, OAuthClientLink.client_id)
            .where(OAuthClientLink.app_id.in_(wanted[start : start + 500]))
            .order_by(OAuthClientLink.client_id)
        )
        for app_id, client_id in rows:
            found.setdefault(app_id, []).append(client_id)
    return found


def apps_by_client(session: Session, client_ids: Collection[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    wanted = sorted(client_ids)
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(OAuthClientLink.client_id, OAuthClientLink.app_id).where(
                OAuthClientLink.client_id.in_(wanted[start : start + 500])
            )
        )
        found.update((client_id, app_id) for client_id, app_id in rows)
    return found
