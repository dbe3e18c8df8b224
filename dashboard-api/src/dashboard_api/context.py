"""What a service call needs: the unit of work, the Ory clients, settings and who acts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from dashboard_api.actors import Actor
from dashboard_api.config import Settings
from dashboard_api.ory import OryClients


@dataclass
class Context:
    session: Session
    ory: OryClients
    settings: Settings
    actor: Actor
