"""Apps people reach through single sign-on, and the Hydra OAuth2 clients each app owns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard_api.db import Base, utcnow

DASHBOARD_APP_SLUG = "dashboard"


class App(Base):
    __tablename__ = "apps"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    url: Mapped[str | None] = mapped_column(String(512))
    # An https URL or a path on our own origin; My apps shows the app's initial without one.
    icon_url: Mapped[str | None] = mapped_column(String(512), default=None)
    # Not behind our single sign-on: listed for people, never asked for a consent decision.
    external: Mapped[bool] = mapped_column(default=False)
    # First-party app: consent is accepted without a screen.
    trusted: Mapped[bool] = mapped_column(default=False)
    role_claim: Mapped[str] = mapped_column(String(64), default="role")
    extra_claims: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Claim carrying the names of the person's groups the app may see; None: no such claim.
    groups_claim: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    clients: Mapped[list[OAuthClientLink]] = relationship(
        back_populates="app", cascade="all, delete-orphan", passive_deletes=True
    )


class OAuthClientLink(Base):
    __tablename__ = "oauth_clients"

    client_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    app: Mapped[App] = relationship(back_populates="clients")
