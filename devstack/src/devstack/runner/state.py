"""What `devstack up` keeps between runs under .devstack/: generated secrets, the admin's
credentials and the seeded OAuth2 clients (Hydra shows a client secret only once)."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FILE = "secrets.json"
DEFAULT_ADMIN_EMAIL = "admin@example.org"


@dataclass
class SeededClient:
    client_id: str
    client_secret: str


@dataclass
class Secrets:
    login_secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    dashboard_secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    internal_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    kratos_hook_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    demo_session_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    admin_email: str = DEFAULT_ADMIN_EMAIL
    admin_password: str = field(default_factory=lambda: secrets.token_urlsafe(15))
    clients: dict[str, SeededClient] = field(default_factory=dict)
    # Real Ory (`make dev ORY=real`): Hydra secrets.system / Kratos secrets.default, the cookie
    # secret of both, Kratos secrets.cipher (32 characters).
    ory_system_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    ory_cookie_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    ory_cipher_secret: str = field(default_factory=lambda: secrets.token_hex(16))

    @classmethod
    def load(cls, state_dir: Path) -> Secrets:
        """The secrets of the last run, any missing ones generated now."""
        path = state_dir / FILE
        if not path.exists():
            return cls()
        raw: dict[str, Any] = json.loads(path.read_text())
        clients = {name: SeededClient(**c) for name, c in raw.pop("clients", {}).items()}
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        return cls(**known, clients=clients)

    def save(self, state_dir: Path) -> None:
        path = state_dir / FILE
        tmp = path.with_suffix(".tmp")
        # Owner-only: it holds the admin password and the services' secrets.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(asdict(self), out, indent=2)
        tmp.replace(path)
