"""Pytest plugin shared by every package's tests.

- `@pytest.mark.requires("mariadb" | "nginx" | "chromium")`: skip with a one-line reason when the
  service is missing, or fail when REQUIRE_SERVICES=1 (CI).
- `database_url` (session scope, parametrized): a fresh empty database on SQLite and on MariaDB.
- `ory_spec`: the folder ../shared/ory-spec, or a clean skip where it is absent.
- `ory_stack` (function scope): a fresh `devstack.stack.OryStack` (Hydra + Kratos stand-ins and the
  mail catcher, in-memory state, random loopback ports); `ory_stack.point_ui_at(url)` sends their
  browser redirects to a login-service at `url`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from devstack.testing import databases, services

if TYPE_CHECKING:
    from devstack.stack import OryStack


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in item.iter_markers(name="requires"):
        for service in marker.args:
            services.require(service)


@pytest.fixture(scope="session", params=databases.BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A new, empty database for this test session: once on SQLite, once on MariaDB."""
    with databases.empty_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def ory_spec() -> Path:
    found = services.ory_spec_dir()
    if found is None:
        pytest.skip("../shared/ory-spec not found (published Ory specs are optional)")
    return found


@pytest.fixture
def ory_stack() -> Iterator[OryStack]:
    """Hydra and Kratos stand-ins plus the mail catcher, fresh for each test."""
    # Imported here so loading the plugin stays cheap for packages that never use the stack.
    from devstack.stack import OryStack

    with OryStack() as stack:
        yield stack
