"""Queries on pending logins, dashboard sessions and the dashboard's own OAuth2 clients."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from dashboard_api.apps.models import DASHBOARD_APP_SLUG, App, OAuthClientLink
from dashboard_api.auth.models import DashboardSession, LoginState
from dashboard_api.db import core_execute
from dashboard_api.roles.models import ADMIN
from dashboard_api.roles.repository import holds_role_on_app


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


# Built once, one statement each: every request asks one of them who is calling (a Bearer
# token's client is the dashboard's, a dashboard session is live) and whether they are an admin.
_TOKEN_STANDING = select(
    select(OAuthClientLink.client_id)
    .join(App, App.id == OAuthClientLink.app_id)
    .where(OAuthClientLink.client_id == bindparam("client_id"), App.slug == DASHBOARD_APP_SLUG)
    .exists(),
    holds_role_on_app(bindparam("subject"), app_slug=DASHBOARD_APP_SLUG, role=ADMIN),
)
_SESSION_STANDING = select(
    DashboardSession.subject,
    holds_role_on_app(DashboardSession.subject, app_slug=DASHBOARD_APP_SLUG, role=ADMIN),
).where(
    DashboardSession.token_hash == bindparam("token_hash"),
    DashboardSession.expires_at > bindparam("now"),
)


def token_standing(session: Session, client_id: str, subject: str) -> tuple[bool, bool]:
    """(`client_id` is one of the dashboard app's OAuth2 clients, `subject` is a dashboard
    admin, directly or through a group); one query."""
    params = {"client_id": client_id, "subject": subject}
    dashboard_client, admin = core_execute(session, _TOKEN_STANDING, params).one()
    return bool(dashboard_client), bool(admin)


def session_standing(session: Session, token_hash: str, now: datetime) -> tuple[str, bool] | None:
    """(subject, is a dashboard admin) of the live dashboard session; None when there is none
    or it expired; one query."""
    params = {"token_hash": token_hash, "now": now}
    found = core_execute(session, _SESSION_STANDING, params).first()
    return None if found is None else (found[0], bool(found[1]))
