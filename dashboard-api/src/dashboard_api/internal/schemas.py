"""The consent decision login-service asks for. Its reader is the shared client's model
(`stackspin_clients.models.dashboard`); shared/tests/test_against_dashboard_api.py keeps
the two in step."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class DecisionApp(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str
    name: str
    url: str | None
    trusted: bool


class ConsentDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allowed: bool
    app: DecisionApp
    role: Literal["admin", "user"] | None
    # The app's role claim under its claim name plus its extra claims, ready for the ID token.
    claims: dict[str, Any]
    # The person's email, email_verified, name and preferred_username; null when refused.
    identity_claims: dict[str, Any] | None = None
    reason: Literal["no_role", "user_inactive"] | None


class IdentityChanged(BaseModel):
    """The body of Kratos's settings web_hook (deploy/ory/identity-changed.jsonnet)."""

    model_config = ConfigDict(extra="forbid")

    identity_id: UUID
