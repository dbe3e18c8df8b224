"""Roles (admin, user) and who holds which role on which app; no row means no access."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard_api.apps.models import App
from dashboard_api.db import Base, utcnow

ADMIN = "admin"
USER = "user"
# Higher wins; a role missing here ranks below every known one.
RANK = {USER: 1, ADMIN: 2}


class Role(Base):
    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    description: Mapped[str] = mapped_column(String(255), default="")


class UserAppRole(Base):
    __tablename__ = "user_app_roles"
    __table_args__ = (Index("ix_user_app_roles_app_role_subject", "app_id", "role_id", "subject"),)

    # The Kratos identity id (OIDC sub); traits stay in Kratos.
    subject: Mapped[str] = mapped_column(String(64), primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    app: Mapped[App] = relationship(lazy="raise")
    role: Mapped[Role] = relationship(lazy="raise")
