"""Write intents: a record, committed before we create something in Kratos or Hydra, of what a
request is about to create, so a retry or `reconcile` can tell in-flight work from leftovers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from dashboard_api.db import Base, utcnow

IDENTITY = "identity"
OAUTH2_CLIENT = "oauth2_client"
PENDING = "pending"
# The request ended without finishing and could not undo what it made.
ABANDONED = "abandoned"


class WriteIntent(Base):
    __tablename__ = "write_intents"
    __table_args__ = (Index("ix_write_intents_kind_key", "kind", "key"),)

    # Carried by the object in Ory (identity metadata_admin.intent; a client's own id is its key).
    token: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    # The email of an identity, the id of an OAuth2 client.
    key: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Past it, a request still pending is surely over (its process died).
    deadline: Mapped[datetime] = mapped_column()
    request_id: Mapped[str | None] = mapped_column(String(128))
