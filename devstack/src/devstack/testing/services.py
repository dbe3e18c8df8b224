"""Which outside services a test run may use, and the skip-or-fail rule for missing ones."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

# The MariaDB account tests create their databases with (CI: a test-only user, see .ci/mariadb).
MARIADB_URL = urlsplit(os.environ.get("TEST_MARIADB_URL", "mysql://root@127.0.0.1:3306"))
MARIADB_HOST = MARIADB_URL.hostname or "127.0.0.1"
MARIADB_PORT = MARIADB_URL.port or 3306
MARIADB_USER = unquote(MARIADB_URL.username or "root")
MARIADB_PASSWORD = unquote(MARIADB_URL.password or "")
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def services_required() -> bool:
    """True when REQUIRE_SERVICES=1: a missing service fails the test instead of skipping it."""
    return os.environ.get("REQUIRE_SERVICES") == "1"


def skip_or_fail(service: str, reason: str) -> None:
    message = f"{service} unavailable: {reason}"
    if services_required():
        pytest.fail(f"{message} (REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(message)


def mariadb_reachable() -> str | None:
    """None when MariaDB answers on its TCP port, else the reason it does not."""
    try:
        with socket.create_connection((MARIADB_HOST, MARIADB_PORT), timeout=2):
            return None
    except OSError as exc:
        return f"{MARIADB_HOST}:{MARIADB_PORT} {exc}"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None
    )


def chromium_binary() -> str | None:
    return next((p for p in CHROMIUM_PATHS if Path(p).exists()), None)


def ory_backends() -> tuple[str, ...]:
    """Which Ory backends the `ory_stack` fixture runs each test on: ORY=standin or ORY=real
    picks one; unset, both (the real one skips without Go, unless REQUIRE_SERVICES=1)."""
    chosen = os.environ.get("ORY", "").strip()
    if chosen in ("", "both"):
        return ("standin", "real")
    if chosen not in ("standin", "real"):
        raise pytest.UsageError(f"ORY={chosen!r}: use standin, real or both")
    return (chosen,)


def missing_reason(service: str) -> str | None:
    """None when `service` is usable here, else a one-line reason."""
    if service == "ory":
        from devstack.realory import build

        if build.go_binary() is None:
            return "no Go toolchain to build real Hydra and Kratos (install Go 1.26)"
        return None
    if service == "mariadb":
        return mariadb_reachable()
    if service == "nginx":
        return None if nginx_binary() else "no nginx binary on PATH (apt-get install nginx)"
    if service == "chromium":
        return None if chromium_binary() else "no /usr/bin/chromium (apt-get install chromium)"
    raise ValueError(f"unknown service {service!r}")


def require(service: str) -> None:
    reason = missing_reason(service)
    if reason is not None:
        skip_or_fail(service, reason)


def ory_spec_dir() -> Path | None:
    """The published Ory specs at ../shared/ory-spec beside the checkout, when present."""
    env = os.environ.get("ORY_SPEC_DIR")
    if env:  # an explicit folder (one that does not exist turns the spec checks off)
        candidates = [Path(env)]
    else:
        here = Path(__file__).resolve()
        candidates = [parent / "shared" / "ory-spec" for parent in here.parents]
        candidates += [parent.parent / "shared" / "ory-spec" for parent in here.parents]
    return next((c for c in candidates if (c / "hydra-v25.4.0.json").exists()), None)
