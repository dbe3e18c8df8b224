"""Who performs a change: a signed-in person, the admin CLI, or the system itself."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Actor:
    kind: Literal["user", "cli", "system"]
    id: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"

    @classmethod
    def cli(cls) -> Actor:
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "unknown"
        return cls("cli", who)

    @classmethod
    def system(cls) -> Actor:
        return cls("system", "dashboard-api")
