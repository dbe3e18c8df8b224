"""Who is calling: the principal every protected endpoint receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from dashboard_api.actors import Actor


@dataclass(frozen=True)
class Principal:
    subject: str
    is_admin: bool
    via: Literal["session", "token"]

    @property
    def actor(self) -> Actor:
        return Actor("user", self.subject)
