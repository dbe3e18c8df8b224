"""Queries on pending logins, dashboard sessions and the dashboard's own OAuth2 clients."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from dashboard_api.apps.models import DASHBOARD_APP_SLUG, App, OAuthClientLink
from dashboard_api.auth.models import DashboardSession, LoginState
from dashboard_api.db import core_execute


def add_login_state(session: Session, state: LoginState) -> None:
    session.add(state)


def pop_login_state(session: Session, state_hash: str, now: datetime) -> LoginState | None:
    """Take a pending login once: a state works a single time and only until it expires."""
    found = session.get(LoginState, state_hash)
    if found is None:
        return None
    session.delete(found)
    return found if found.expires_at > now else None


def add_session(session: Session, dashboard_session: DashboardSession) -> None:
    session.add(dashboard_session)


def live_session(session: Session, token_hash: str, now: datetime) -> DashboardSession | None:
    return session.scalar(
        select(DashboardSession).where(
            DashboardSession.token_hash == token_hash, DashboardSession.expires_at > now
        )
    )


def get_session(session: Session, token_hash: str) -> DashboardSession | None:
    return session.get(DashboardSession, token_hash)


def delete_session(session: Session, token_hash: str) -> None:
    session.execute(delete(DashboardSession).where(DashboardSession.token_hash == token_hash))


def delete_sessions_of(session: Session, subject: str) -> int:
    result = session.execute(delete(DashboardSession).where(DashboardSession.subject == subject))
    return int(getattr(result, "rowcount", 0))


def delete_expired(session: Session, now: datetime) -> None:
    session.execute(delete(DashboardSession).where(DashboardSession.expires_at <= now))
    session.execute(delete(LoginState).where(LoginState.expires_at <= now))


# Built once: every request with a Bearer token asks it.
_DASHBOARD_CLIENT = (
    select(OAuthClientLink.client_id)
    .join(App, App.id == OAuthClientLink.app_id)
    .where(OAuthClientLink.client_id == bindparam("client_id"), App.slug == DASHBOARD_APP_SLUG)
)


def is_dashboard_client(session: Session, client_id: str) -> bool:
    """Whether `client_id` is one of the dashboard app's OAuth2 clients."""
    found = core_execute(session, _DASHBOARD_CLIENT, {"client_id": client_id}).first()
    return found is not None
