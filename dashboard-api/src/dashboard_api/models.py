"""Every ORM model, imported in one place so the metadata (and Alembic) sees all tables."""

from dashboard_api.apps.models import App, OAuthClientLink
from dashboard_api.audit.models import AuditEntry
from dashboard_api.auth.models import DashboardSession, LoginState
from dashboard_api.db import Base
from dashboard_api.groups.models import AppVisibleGroup, Group, GroupAppRole, GroupMember
from dashboard_api.intents.models import WriteIntent
from dashboard_api.invitations.models import Invitation
from dashboard_api.locks import LockSlot
from dashboard_api.roles.models import Role, UserAppRole
from dashboard_api.search.models import SearchEntry, SearchTerm

__all__ = [
    "App",
    "AppVisibleGroup",
    "AuditEntry",
    "Base",
    "DashboardSession",
    "Group",
    "GroupAppRole",
    "GroupMember",
    "Invitation",
    "LockSlot",
    "LoginState",
    "OAuthClientLink",
    "Role",
    "SearchEntry",
    "SearchTerm",
    "UserAppRole",
    "WriteIntent",
]
