"""What a service call needs: the unit of work, the Ory clients, settings and who acts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from dashboard_api.actors import Actor
from dashboard_api.auth.introspection import IntrospectionCache
from dashboard_api.config import Settings
from dashboard_api.db import utcnow
from dashboard_api.ory import OryClients


@dataclass
class Context:
    session: Session
    ory: OryClients
    settings: Settings
    actor: Actor
    # This process's Bearer-token cache (None in the CLI, which has none to keep in step).
    introspection: IntrospectionCache | None = None
    # The time write intents are stamped and judged with (tests move theirs forward).
    now: Callable[[], datetime] = utcnow

    def forget_tokens_of(self, subject: str) -> None:
        """A change that takes access away must not wait for cached token answers to expire."""
        if self.introspection is not None:
            self.introspection.forget_subject(subject)
