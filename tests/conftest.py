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


@pytest.fixture(scope="session")
def sso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SsoStack]:
    """The whole stack behind real nginx, once per session (each test makes its own users)."""
    from devstack.testing import services
    from stack_harness.sso_stack import start_sso_stack

    for service in ("nginx", "mariadb"):
        services.require(service)
    # Screenshots of this run only (the folder is test output, ignored by git).
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    stack = start_sso_stack(tmp_path_factory.mktemp("sso"), ARTIFACTS)
    yield stack
    stack.close()
