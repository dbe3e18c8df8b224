"""Cross-service tests: the stack through real nginx, real processes, a real browser."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

# The harness is a plain folder beside the tests (not an installed package).
sys.path.insert(0, str(Path(__file__).resolve().parent))

if TYPE_CHECKING:
    from stack_harness.sso_stack import SsoStack

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "e2e"


def _ory_backends() -> tuple[str, ...]:
    from devstack.testing import services

    return services.ory_backends()


# Session scope: pytest runs every test of one backend before it starts the other, so each
# backend's stack starts once (each test makes its own users).
@pytest.fixture(scope="session", params=_ory_backends())
def sso(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SsoStack]:
    """The whole stack behind real nginx on one Ory backend: `[standin]` (the devstack
    stand-ins) and `[real]` (real Hydra and Kratos); ORY=standin|real picks one."""
    from devstack.testing import services
    from stack_harness.sso_stack import start_sso_stack

    backend: str = request.param
    for service in ("nginx", "mariadb", *(("ory",) if backend == "real" else ())):
        services.require(service)
    artifacts = ARTIFACTS / backend
    # Screenshots of this run only (the folder is test output, ignored by git).
    for old in artifacts.glob("*.png"):
        old.unlink()
    stack = start_sso_stack(tmp_path_factory.mktemp(f"sso-{backend}"), artifacts, backend=backend)
    yield stack
    stack.close()
