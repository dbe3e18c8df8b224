"""Offboarding: what is asked, and the report of what was done."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class OffboardRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Keep the roles for a later reactivation; off by default: nothing comes back by itself.
    keep_roles: bool = False


class OffboardedApp(BaseModel):
    app: str
    # The role held before offboarding (None: none, only a consent was left).
    role: str | None
    role_kept: bool
    # OAuth2 clients of the app whose consent (and with it every token) was revoked.
    consents_revoked: list[str]


class OffboardReport(BaseModel):
    user_id: str
    state: str
    apps: list[OffboardedApp]
    kratos_sessions_ended: int
    # Login sessions ended one by one: their clients got a back-channel logout.
    hydra_login_sessions_ended: int
